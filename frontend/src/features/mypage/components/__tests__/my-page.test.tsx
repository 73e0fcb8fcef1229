import { screen, waitFor, within } from '@testing-library/react';

import { db, makeJob, makeTemplate } from '@/testing/mocks/db';
import { renderApp } from '@/testing/test-utils';

describe('my page', () => {
  it('lists my results and opens one to see its faces', async () => {
    const app = await renderApp('/me', { loggedInAs: 'mina' });
    const me = app.user!.user.id;
    db.jobs.push({
      ...makeJob({ task_id: 'job-9', status: 'running', input_url: 'http://localhost:3000/m/in-9' }),
      ownerId: me,
      polls: 1,
    });
    // someone else's job is not mine to see
    db.jobs.push({ ...makeJob({ task_id: 'job-x', status: 'done' }), ownerId: 1, polls: 0 });
    app.store.dispatch({ type: 'api/invalidateTags', payload: ['MyResults'] });
    const section = (await screen.findByRole('heading', { name: /My photos/ })).closest('section') as HTMLElement;
    const open = await within(section).findByRole('link', { name: /Open the photo made with Noto/ });
    expect(within(section).getAllByRole('listitem')).toHaveLength(1);
    expect(within(section).getByRole('img')).toHaveAttribute('src', 'http://localhost:3000/m/in-9');
    await app.events.click(open);
    await waitFor(() => expect(app.router.state.location.pathname).toBe('/results/job-9'));
    expect(await screen.findByAltText('Result', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByTestId('face-emotion')).toHaveTextContent('happy');
  });

  it('deletes my template after confirmation, and it leaves the gallery', async () => {
    const app = await renderApp('/gallery', { loggedInAs: 'mina' });
    const me = app.user!.user.id;
    db.templates.push({ ...makeTemplate({ id: 40, name: 'Cats', owner_alias: 'mina' }), ownerId: me, active: true });
    app.store.dispatch({ type: 'api/invalidateTags', payload: ['TemplatePage'] });
    expect(await screen.findByRole('button', { name: 'Use Cats' })).toBeInTheDocument();

    await app.events.click(screen.getByRole('link', { name: 'My page' }));
    await app.events.click(await screen.findByRole('button', { name: 'Delete Cats' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete “Cats”?' });
    // cancelling keeps it
    await app.events.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(db.templates.find((t) => t.id === 40)?.active).toBe(true);

    await app.events.click(await screen.findByRole('button', { name: 'Delete Cats' }));
    const again = await screen.findByRole('dialog', { name: 'Delete “Cats”?' });
    await app.events.click(within(again).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('You have not made any templates yet.')).toBeInTheDocument();
    expect(db.templates.find((t) => t.id === 40)?.active).toBe(false);

    await app.events.click(screen.getByRole('link', { name: 'Gallery' }));
    expect(await screen.findByRole('button', { name: 'Use Noto' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Use Cats' })).toBeNull();
  });

  it('shows the API message when a delete is refused', async () => {
    const app = await renderApp('/me', { loggedInAs: 'mina' });
    const me = app.user!.user.id;
    db.templates.push({ ...makeTemplate({ id: 41, name: 'Dogs', owner_alias: 'mina' }), ownerId: me, active: true });
    app.store.dispatch({ type: 'api/invalidateTags', payload: ['MyUploads'] });
    await app.events.click(await screen.findByRole('button', { name: 'Delete Dogs' }));
    db.templates.find((t) => t.id === 41)!.ownerId = 1; // ownership changed under us -> 403
    const dialog = await screen.findByRole('dialog');
    await app.events.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByText('Only the owner can delete a template.')).toBeInTheDocument();
  });
});
