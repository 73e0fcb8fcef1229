import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RouterProvider } from 'react-router';

import { AppProvider } from '@/app/provider';
import { createTestRouter } from '@/app/router';
import { makeStore } from '@/app/store';
import { loggedIn } from '@/lib/session';

import { db, seedUser } from './mocks/db';

/** Render the whole app at `path`, optionally already logged in as a fresh user. */
export async function renderApp(
  path: string,
  {
    loggedInAs,
    expired,
  }: {
    loggedInAs?: string;
    /** the server no longer accepts the access token, or neither token */
    expired?: 'access' | 'both';
  } = {},
) {
  const store = makeStore();
  let user: ReturnType<typeof seedUser> | null = null;
  if (loggedInAs) {
    user = seedUser(loggedInAs);
    if (expired) db.accessTokens.delete(user.access);
    if (expired === 'both') db.refreshTokens.delete(user.refresh);
    store.dispatch(loggedIn({ accessToken: user.access, refreshToken: user.refresh, user: { id: user.user.id, alias: user.user.alias } }));
  }
  const router = createTestRouter([path]);
  const result = render(
    <AppProvider store={store}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...result, store, router, user, events: userEvent.setup({ delay: null }) };
}

export function pngFile(name: string): File {
  // the bytes are irrelevant to the SPA: the server decides what a picture is
  return new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], name, { type: 'image/png' });
}
