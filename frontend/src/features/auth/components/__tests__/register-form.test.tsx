import { screen, waitFor } from '@testing-library/react';

import { db } from '@/testing/mocks/db';
import { http } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

describe('sign up', () => {
  it('says an alias is taken as the user types, after a pause', async () => {
    const { events } = await renderApp('/register');
    await events.type(screen.getByLabelText('Alias'), 'igemoji');
    expect(await screen.findByText('This alias is taken.')).toBeInTheDocument();
    await events.clear(screen.getByLabelText('Alias'));
    await events.type(screen.getByLabelText('Alias'), 'newcomer');
    expect(await screen.findByText('Available')).toBeInTheDocument();
  });

  it('asks the API only once the user stops typing', async () => {
    const seen: string[] = [];
    server.use(
      http.get('/api/v1/users/', ({ query, response }) => {
        seen.push(query.get('value') ?? '');
        return response(200).json({ available: true });
      }),
    );
    const { events } = await renderApp('/register');
    await events.type(screen.getByLabelText('Alias'), 'abcdef');
    await screen.findByText('Available');
    expect(seen).toEqual(['abcdef']);
  });

  it('shows a password strength hint', async () => {
    const { events } = await renderApp('/register');
    await events.type(screen.getByLabelText('Password'), 'abc');
    expect(screen.getByText('Strength: weak')).toBeInTheDocument();
    await events.type(screen.getByLabelText('Password'), 'DEF-123-xyz!!');
    expect(screen.getByText('Strength: strong')).toBeInTheDocument();
  });

  it('refuses mismatched passwords without calling the API', async () => {
    const { events } = await renderApp('/register');
    await events.type(screen.getByLabelText('Email'), 'new@example.com');
    await events.type(screen.getByLabelText('Alias'), 'newbie');
    await events.type(screen.getByLabelText('Password'), 'Good-pass-123');
    await events.type(screen.getByLabelText('Confirm password'), 'Good-pass-124');
    await events.click(screen.getByRole('button', { name: 'Sign up' }));
    expect(await screen.findByText('The passwords do not match.')).toBeInTheDocument();
    expect(db.users.some((u) => u.email === 'new@example.com')).toBe(false);
  });

  it('shows the API message when the email is already registered', async () => {
    server.use(http.get('/api/v1/users/', ({ response }) => response(200).json({ available: true })));
    db.users.push({ id: 50, email: 'taken@example.com', alias: 'someone', password: 'x' });
    const { events } = await renderApp('/register');
    await events.type(screen.getByLabelText('Email'), 'taken@example.com');
    await events.type(screen.getByLabelText('Alias'), 'newbie');
    await events.type(screen.getByLabelText('Password'), 'Good-pass-123');
    await events.type(screen.getByLabelText('Confirm password'), 'Good-pass-123');
    await events.click(screen.getByRole('button', { name: 'Sign up' }));
    expect(await screen.findByText('This email is already registered.')).toBeInTheDocument();
  });

  it('creates the account and then asks for the password on the login page', async () => {
    const { events, router } = await renderApp('/register');
    await events.type(screen.getByLabelText('Email'), 'new@example.com');
    await events.type(screen.getByLabelText('Alias'), 'newbie');
    await events.type(screen.getByLabelText('Password'), 'Good-pass-123');
    await events.type(screen.getByLabelText('Confirm password'), 'Good-pass-123');
    await events.click(screen.getByRole('button', { name: 'Sign up' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(screen.getByLabelText('Email')).toHaveValue('new@example.com');
    expect(db.users.find((u) => u.email === 'new@example.com')?.alias).toBe('newbie');
  });
});
