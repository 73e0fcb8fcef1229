import { screen, waitFor, within } from '@testing-library/react';

import { db, makeJob, makeTemplate, scores, summarize, type DbJob } from '@/testing/mocks/db';
import { renderApp } from '@/testing/test-utils';
import type { Face } from '@/types/openapi';

function doneJob(ownerId: number, taskId: string, extra: Partial<DbJob> = {}): DbJob {
  const faces: Face[] = [{ box: [0, 0, 10, 10], emotion: 'happy', scores: scores('happy'), overridden: false }];
  return {
    ...makeJob({
      task_id: taskId, status: 'done', finished_at: '2026-11-25T09:00:03Z', input_url: `http://localhost:3000/m/in-${taskId}`,
      result: { image_url: `http://localhost:3000/m/out-${taskId}.jpg`, width: 10, height: 10, faces, summary: summarize(faces) },
    }),
    ownerId,
    polls: 0,
    ...extra,
  };
}

async function myPage() {
  const app = await renderApp('/gallery', { loggedInAs: 'mina' });
  return app;
}

describe('my page: versions and expiry', () => {
  it('shows both versions of a re-rendered result', async () => {
    const app = await myPage();
    const me = app.user!.user.id;
    db.jobs.push(doneJob(me, 'job-first'), doneJob(me, 'job-second', { rerender_of: 'job-first' }));
    await app.router.navigate('/me');
    const section = (await screen.findByRole('heading', { name: /My photos/ })).closest('section') as HTMLElement;
    await waitFor(() => expect(within(section).getAllByRole('listitem')).toHaveLength(2));
    const [newer, older] = within(section).getAllByRole('listitem');
    expect(within(newer!).getByText('new version')).toBeInTheDocument();
    expect(within(newer!).getByRole('img')).toHaveAttribute('src', 'http://localhost:3000/m/out-job-second.jpg');
    expect(within(older!).queryByText('new version')).toBeNull();
    expect(within(older!).getByRole('img')).toHaveAttribute('src', 'http://localhost:3000/m/out-job-first.jpg');
  });

  it('says when a photo expired', async () => {
    const app = await myPage();
    db.jobs.push(doneJob(app.user!.user.id, 'job-old', { status: 'expired', result: null, input_url: null }));
    await app.router.navigate('/me');
    const section = (await screen.findByRole('heading', { name: /My photos/ })).closest('section') as HTMLElement;
    const tile = await within(section).findByRole('listitem');
    expect(within(tile).getByText('expired')).toBeInTheDocument();
    expect(within(tile).getByText('Photo deleted')).toBeInTheDocument();
    expect(within(tile).queryByRole('img')).toBeNull();
  });
});

describe('delete my account', () => {
  it('asks for the password; a wrong one deletes nothing', async () => {
    const app = await renderApp('/me', { loggedInAs: 'mina' });
    await app.events.click(await screen.findByRole('button', { name: 'Delete my account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete your account?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete my account' });
    expect(confirm).toBeDisabled(); // nothing typed yet
    await app.events.type(within(dialog).getByLabelText(/Password/), 'not-my-password');
    await app.events.click(confirm);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The password is wrong. Nothing was deleted.');
    expect(db.users.some((u) => u.alias === 'mina')).toBe(true);
    expect(app.store.getState().session.accessToken).not.toBeNull();

    await app.events.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(app.router.state.location.pathname).toBe('/me');
  });

  it('deletes the account with the right password, signs out and leaves the private page', async () => {
    const app = await renderApp('/gallery', { loggedInAs: 'mina' });
    const me = app.user!.user;
    db.jobs.push(doneJob(me.id, 'job-mine'));
    db.templates.push({ ...makeTemplate({ id: 50, name: 'Mine', owner_alias: 'mina' }), ownerId: me.id, active: true });
    await app.router.navigate('/me');
    await app.events.click(await screen.findByRole('button', { name: 'Delete my account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete your account?' });
    await app.events.type(within(dialog).getByLabelText(/Password/), me.password);
    await app.events.click(within(dialog).getByRole('button', { name: 'Delete my account' }));

    expect(await screen.findByText('Your account and everything in it were deleted.')).toBeInTheDocument();
    await waitFor(() => expect(app.router.state.location.pathname).toBe('/'));
    expect(app.store.getState().session.accessToken).toBeNull();
    expect(window.localStorage.getItem('igemoji.session')).toBeNull();
    expect(screen.getByRole('link', { name: 'Log in' })).toBeInTheDocument();
    expect(db.users.some((u) => u.id === me.id)).toBe(false);
    expect(db.jobs).toHaveLength(0);
    expect(db.templates.find((t) => t.id === 50)?.active).toBe(false);
  });

  it('speaks Korean', async () => {
    const app = await renderApp('/me', { loggedInAs: 'mina' });
    await app.events.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'ko');
    await app.events.click(await screen.findByRole('button', { name: '계정 삭제' }));
    const dialog = await screen.findByRole('dialog', { name: '계정을 삭제할까요?' });
    expect(within(dialog).getByLabelText(/비밀번호/)).toBeInTheDocument();
  });
});
