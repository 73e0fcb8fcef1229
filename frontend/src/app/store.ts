import { configureStore } from '@reduxjs/toolkit';
import { setupListeners } from '@reduxjs/toolkit/query';

import { baseApi } from '@/lib/api-client';
import { notificationsSlice } from '@/lib/notifications';
import { saveSession, sessionSlice } from '@/lib/session';

export function makeStore() {
  const store = configureStore({
    reducer: {
      [baseApi.reducerPath]: baseApi.reducer,
      session: sessionSlice.reducer,
      notifications: notificationsSlice.reducer,
    },
    middleware: (getDefault) => getDefault().concat(baseApi.middleware),
  });
  let last = store.getState().session;
  store.subscribe(() => {
    const current = store.getState().session;
    if (current !== last) {
      last = current;
      saveSession(current);
    }
  });
  setupListeners(store.dispatch);
  return store;
}

export type AppStore = ReturnType<typeof makeStore>;
export type RootState = ReturnType<AppStore['getState']>;
export type AppDispatch = AppStore['dispatch'];
