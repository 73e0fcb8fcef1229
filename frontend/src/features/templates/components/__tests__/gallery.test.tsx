import { screen, waitFor, within } from '@testing-library/react';

import { db, makeTemplate } from '@/testing/mocks/db';
import { renderApp } from '@/testing/test-utils';

function addTemplates(n: number) {
  for (let i = 0; i < n; i += 1) {
    const id = 10 + i;
    db.templates.push({ ...makeTemplate({ id, name: `Set ${id}`, owner_alias: 'artist' }), ownerId: 1, active: true });
  }
}

describe('gallery', () => {
  it('shows 8 cards a page with picture, name and owner, and pages through', async () => {
    addTemplates(9); // + Noto = 10 -> two pages
    const { events, router } = await renderApp('/gallery');
    expect(await screen.findByRole('button', { name: 'Use Set 18' })).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /^Use / })).toHaveLength(8);
    expect(screen.getByAltText('Set 18 template, happy picture')).toHaveAttribute('src', expect.stringContaining('t18-happy-cut'));
    expect(screen.getAllByText('by artist').length).toBeGreaterThan(0);
    await events.click(screen.getByRole('button', { name: 'Go to page 2' }));
    expect(await screen.findByRole('button', { name: 'Use Noto' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('?page=2');
    expect(screen.getAllByRole('button', { name: /^Use / })).toHaveLength(2);
  });

  it('opens the template page when a logged-in user picks "Use"', async () => {
    const { events, router } = await renderApp('/gallery', { loggedInAs: 'mina' });
    await events.click(await screen.findByRole('button', { name: 'Use Noto' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/templates/1'));
    expect(await screen.findByRole('heading', { name: 'Use Noto' })).toBeInTheDocument();
    expect(screen.getByAltText('Noto: surprise')).toBeInTheDocument();
  });

  it('shows the Top 3 podium with use counts', async () => {
    db.ranking = [
      { id: 1, name: 'Noto', owner_alias: 'igemoji', preview_url: null, count: 12 },
      { id: 2, name: 'Cats', owner_alias: 'mina', preview_url: null, count: 5 },
      { id: 3, name: 'Dogs', owner_alias: 'jun', preview_url: null, count: 1 },
    ];
    await renderApp('/gallery');
    const podium = (await screen.findByRole('heading', { name: 'Top 3' })).closest('section') as HTMLElement;
    const places = await within(podium).findAllByRole('listitem');
    expect(places.map((p) => p.getAttribute('aria-label'))).toEqual(['Place 1: Noto', 'Place 2: Cats', 'Place 3: Dogs']);
    expect(within(podium).getByText(/12 uses/)).toBeInTheDocument();
    expect(within(podium).getByText(/1 use$/)).toBeInTheDocument();
  });

  it('says so when nothing was made this week', async () => {
    await renderApp('/gallery');
    expect(await screen.findByText('No photos made this week yet — be the first.')).toBeInTheDocument();
  });
});
