import { screen, waitFor } from '@testing-library/react';
import { HttpResponse } from 'msw';

import { db } from '@/testing/mocks/db';
import { errorBody, http } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

describe('API client', () => {
  it('sends the access token, refreshes once on 401 and retries', async () => {
    const refreshes: unknown[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.endsWith('/users/auth/refresh/')) refreshes.push(request.url);
    });
    // the access token has expired on the server, the refresh token is still good
    const { store, user } = await renderApp('/me', { loggedInAs: 'mina', expired: 'access' });
    expect(await screen.findByText('You have not made any photos yet.')).toBeInTheDocument();
    expect(await screen.findByText('You have not made any templates yet.')).toBeInTheDocument();
    // two requests failed with 401 together; they shared one refresh
    expect(refreshes).toHaveLength(1);
    expect(store.getState().session.accessToken).not.toBe(user!.access);
    expect(store.getState().session.refreshToken).not.toBe(user!.refresh);
    server.events.removeAllListeners();
  });

  it('uses the refresh token another tab rotated instead of replaying a spent one', async () => {
    const { store, user, router } = await renderApp('/gallery', { loggedInAs: 'mina' });
    expect(await screen.findByRole('button', { name: 'Use Noto' })).toBeInTheDocument();
    // Another tab refreshes first: the server rotates the token, storage gets the new pair.
    const other = (await fetch('http://localhost:3000/api/v1/users/auth/refresh/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: user!.refresh }),
    }).then((r) => r.json())) as { access_token: string; refresh_token: string };
    window.localStorage.setItem(
      'igemoji.session',
      JSON.stringify({ accessToken: other.access_token, refreshToken: other.refresh_token, user: { id: user!.user.id, alias: 'mina' } }),
    );
    // This tab's access token now expires, and it still holds the spent refresh token.
    db.accessTokens.delete(user!.access);
    const sent: string[] = [];
    server.events.on('request:start', async ({ request }) => {
      if (request.url.endsWith('/users/auth/refresh/')) {
        sent.push(((await request.clone().json()) as { refresh_token: string }).refresh_token);
      }
    });
    await router.navigate('/me');
    expect(await screen.findByText('You have not made any photos yet.')).toBeInTheDocument();
    expect(sent).toEqual([other.refresh_token]);
    expect(store.getState().session.accessToken).not.toBe(user!.access);
    server.events.removeAllListeners();
  });

  it('goes back to the login page when the refresh fails', async () => {
    const { store, router } = await renderApp('/me', { loggedInAs: 'mina', expired: 'both' });
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(store.getState().session.accessToken).toBeNull();
    expect(await screen.findByText('Your session ended. Please sign in again.')).toBeInTheDocument();
    expect(window.localStorage.getItem('igemoji.session')).toBeNull();
  });

  it('shows the API error message to the user', async () => {
    // any operation may answer 500 with the error object (the schema's description says so)
    server.use(
      http.get('/api/v1/faces/ranking/', ({ response }) =>
        response.untyped(HttpResponse.json(errorBody('server_error', 'Something broke on our side.'), { status: 500 })),
      ),
    );
    await renderApp('/gallery');
    expect((await screen.findAllByText('Something broke on our side.')).length).toBeGreaterThan(0);
  });

  it('says the server cannot be reached on a network failure', async () => {
    server.use(http.get('/api/v1/faces/ranking/', ({ response }) => response.untyped(HttpResponse.error())));
    await renderApp('/gallery');
    expect(
      (await screen.findAllByText('Cannot reach the server. Check your connection and try again.')).length,
    ).toBeGreaterThan(0);
  });

  it('keeps public pages working when the session cannot be refreshed', async () => {
    const { store } = await renderApp('/gallery', { loggedInAs: 'mina', expired: 'both' });
    expect(await screen.findByRole('button', { name: 'Use Noto' })).toBeInTheDocument();
    expect(store.getState().session.accessToken).toBeNull();
    expect(screen.queryByText('Given token not valid for any token type.')).toBeNull();
    expect(screen.getByRole('link', { name: 'Log in' })).toBeInTheDocument();
  });
});
