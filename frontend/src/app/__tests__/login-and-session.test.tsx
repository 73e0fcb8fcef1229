import { screen, waitFor, within } from '@testing-library/react';

import { db } from '@/testing/mocks/db';
import { renderApp } from '@/testing/test-utils';

describe('log in and out', () => {
  beforeEach(() => {
    db.users.push({ id: 7, email: 'mina@example.com', alias: 'mina', password: 'Good-pass-123' });
  });

  it('shows the API message on wrong credentials', async () => {
    const { events } = await renderApp('/login');
    await events.type(screen.getByLabelText('Email'), 'mina@example.com');
    await events.type(screen.getByLabelText('Password'), 'wrong-pass');
    await events.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByText('Email or password is wrong.')).toBeInTheDocument();
  });

  it('logs in, lands on the gallery, keeps the session, and logs out', async () => {
    const { events, router, store } = await renderApp('/login');
    await events.type(screen.getByLabelText('Email'), 'mina@example.com');
    await events.type(screen.getByLabelText('Password'), 'Good-pass-123');
    await events.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/gallery'));
    expect(JSON.parse(window.localStorage.getItem('igemoji.session') ?? '{}').user.alias).toBe('mina');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'My page' })).toBeInTheDocument();
    await events.click(within(nav).getByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(store.getState().session.accessToken).toBeNull();
    expect(db.refreshTokens.size).toBe(0);
  });

  it('sends a visitor to log in before a private page, then back to it', async () => {
    const { events, router } = await renderApp('/me');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    await events.type(screen.getByLabelText('Email'), 'mina@example.com');
    await events.type(screen.getByLabelText('Password'), 'Good-pass-123');
    await events.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/me'));
    expect(await screen.findByRole('heading', { name: 'Hello, mina' })).toBeInTheDocument();
  });
});
