import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

export type Notification = {
  id: number;
  severity: 'error' | 'success' | 'info';
  message: string;
};

let nextId = 1;

export const notificationsSlice = createSlice({
  name: 'notifications',
  initialState: [] as Notification[],
  reducers: {
    notify: {
      reducer(state, action: PayloadAction<Notification>) {
        // the same message twice in a row (e.g. polling errors) is shown once
        if (state.some((n) => n.message === action.payload.message)) return;
        state.push(action.payload);
      },
      prepare(payload: Omit<Notification, 'id'>) {
        return { payload: { ...payload, id: nextId++ } };
      },
    },
    dismiss(state, action: PayloadAction<number>) {
      return state.filter((n) => n.id !== action.payload);
    },
  },
});

export const { notify, dismiss } = notificationsSlice.actions;
export const selectNotifications = (state: { notifications: Notification[] }) => state.notifications;
