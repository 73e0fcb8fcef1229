import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

import type { LoginOutputUser } from '@/types/openapi';

// Tokens live in localStorage so a reload keeps the user logged in; the access
// token is short-lived (15 min) and the refresh token rotates on every use.
const STORAGE_KEY = 'igemoji.session';

export type SessionState = {
  accessToken: string | null;
  refreshToken: string | null;
  user: LoginOutputUser | null;
  /** Set when a refresh failed, so the login page can say why the user is there. */
  expired: boolean;
  /** Set when the user deleted the account: private pages send them home, not to log in. */
  deleted: boolean;
};

const empty: SessionState = { accessToken: null, refreshToken: null, user: null, expired: false, deleted: false };

export function loadSession(): SessionState {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (!raw) return empty;
    const parsed = JSON.parse(raw) as Partial<SessionState>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') return empty;
    return {
      accessToken: parsed.accessToken,
      refreshToken: parsed.refreshToken,
      user: parsed.user ?? null,
      expired: false,
      deleted: false,
    };
  } catch {
    return empty;
  }
}

export function saveSession(state: SessionState): void {
  try {
    if (state.accessToken && state.refreshToken) {
      const { accessToken, refreshToken, user } = state;
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ accessToken, refreshToken, user }));
    } else {
      window.localStorage.removeItem(STORAGE_KEY);
    }
  } catch {
    // storage can be unavailable (private mode); the session then lasts for the tab
  }
}

export const sessionSlice = createSlice({
  name: 'session',
  initialState: loadSession,
  reducers: {
    loggedIn(
      _state,
      action: PayloadAction<{ accessToken: string; refreshToken: string; user: LoginOutputUser }>,
    ) {
      return { ...action.payload, expired: false, deleted: false };
    },
    tokensRefreshed(state, action: PayloadAction<{ accessToken: string; refreshToken?: string }>) {
      state.accessToken = action.payload.accessToken;
      if (action.payload.refreshToken) state.refreshToken = action.payload.refreshToken;
    },
    loggedOut() {
      return empty;
    },
    sessionExpired() {
      return { ...empty, expired: true };
    },
    accountDeleted() {
      return { ...empty, deleted: true };
    },
  },
});

export const { loggedIn, tokensRefreshed, loggedOut, sessionExpired, accountDeleted } = sessionSlice.actions;

type WithSession = { session: SessionState };
export const selectSession = (state: WithSession) => state.session;
export const selectIsLoggedIn = (state: WithSession) => state.session.accessToken !== null;
export const selectUser = (state: WithSession) => state.session.user;
