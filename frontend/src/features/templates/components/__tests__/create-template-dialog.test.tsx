import { screen, waitFor, within } from '@testing-library/react';

import { db } from '@/testing/mocks/db';
import { errorBody, http } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { pngFile, renderApp } from '@/testing/test-utils';
import { emotionValues } from '@/types/openapi';

async function openDialog() {
  const app = await renderApp('/gallery', { loggedInAs: 'mina' });
  await app.events.click(await screen.findByRole('button', { name: 'Create a template' }));
  const dialog = await screen.findByRole('dialog', { name: 'Create a template' });
  return { ...app, dialog };
}

describe('create template dialog', () => {
  it('will not send until there is a name and all seven pictures', async () => {
    const { events, dialog } = await openDialog();
    await events.upload(within(dialog).getByLabelText('Picture for happy'), pngFile('happy.png'));
    expect(within(dialog).getByAltText('Chosen picture for happy')).toBeInTheDocument();
    await events.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(within(dialog).getByText('Give the template a name.')).toBeInTheDocument();
    expect(within(dialog).getByText('Choose a picture for: angry, disgust, fear, sad, surprise, neutral.')).toBeInTheDocument();
    expect(db.templates).toHaveLength(1);
  });

  it('uploads the seven pictures, shows processing, then the ready template', async () => {
    const { events, dialog } = await openDialog();
    await events.type(within(dialog).getByLabelText('Template name'), 'My faces');
    for (const emotion of emotionValues) {
      await events.upload(within(dialog).getByLabelText(`Picture for ${emotion}`), pngFile(`${emotion}.png`));
    }
    await events.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText('Cutting out the backgrounds… this takes a few seconds.', { selector: 'p' })).toBeInTheDocument();
    const created = db.templates.find((t) => t.name === 'My faces');
    expect(created?.status).toBe('processing');
    created!.status = 'ready';
    expect(await within(dialog).findByText('“My faces” is ready and in the gallery.', {}, { timeout: 4000 })).toBeInTheDocument();
    await events.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(await screen.findByRole('button', { name: 'Use My faces' })).toBeInTheDocument();
  });

  it('shows the reason when the cut-outs fail', async () => {
    const { events, dialog } = await openDialog();
    await events.type(within(dialog).getByLabelText('Template name'), 'Broken');
    for (const emotion of emotionValues) {
      await events.upload(within(dialog).getByLabelText(`Picture for ${emotion}`), pngFile(`${emotion}.png`));
    }
    await events.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(db.templates.find((t) => t.name === 'Broken')).toBeDefined());
    const created = db.templates.find((t) => t.name === 'Broken')!;
    created.status = 'failed';
    created.error = 'The picture for sad is not an image.';
    expect(
      await within(dialog).findByText('This template could not be made: The picture for sad is not an image.', {}, { timeout: 4000 }),
    ).toBeInTheDocument();
  });

  it('shows the API message when the upload is refused', async () => {
    server.use(
      http.post('/api/v1/emojis/', ({ response }) =>
        response(413).json(errorBody('file_too_large', 'sad: The file is larger than 15 MB.')),
      ),
    );
    const { events, dialog } = await openDialog();
    await events.type(within(dialog).getByLabelText('Template name'), 'Huge');
    for (const emotion of emotionValues) {
      await events.upload(within(dialog).getByLabelText(`Picture for ${emotion}`), pngFile(`${emotion}.png`));
    }
    await events.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText('sad: The file is larger than 15 MB.')).toBeInTheDocument();
  });
});
