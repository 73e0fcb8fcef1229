import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';

import { db, makeJob, scores } from '@/testing/mocks/db';
import { errorBody, http } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { pngFile, renderApp } from '@/testing/test-utils';

function jpeg(name = 'party.jpg') {
  return new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], name, { type: 'image/jpeg' });
}

describe('use a template', () => {
  it('needs a photo before it can start, and previews the photo', async () => {
    const { events } = await renderApp('/templates/1', { loggedInAs: 'mina' });
    const emojify = await screen.findByRole('button', { name: 'Emojify' });
    expect(emojify).toBeDisabled();
    await events.upload(screen.getByLabelText('Photo'), jpeg());
    expect(screen.getByAltText('Your photo')).toBeInTheDocument();
    expect(screen.getByText('Chosen: party.jpg')).toBeInTheDocument();
    expect(emojify).toBeEnabled();
  });

  it('refuses a file that is not a picture without uploading it', async () => {
    await renderApp('/templates/1', { loggedInAs: 'mina' });
    const input = await screen.findByLabelText('Photo');
    // the picker's accept list can be bypassed (drag and drop, "All files")
    fireEvent.change(input, { target: { files: [new File(['hello'], 'notes.txt', { type: 'text/plain' })] } });
    expect(screen.getByText('That file is not a picture we can read. Choose a JPEG, PNG, WebP, GIF or BMP photo.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Emojify' })).toBeDisabled();
  });

  it('offers and sends only the picture formats the servers accept (no TIFF)', async () => {
    await renderApp('/templates/1', { loggedInAs: 'mina' });
    const input = await screen.findByLabelText('Photo');
    expect(input).toHaveAttribute('accept', 'image/bmp,image/gif,image/jpeg,image/png,image/webp');
    fireEvent.change(input, { target: { files: [new File(['II*'], 'scan.tif', { type: 'image/tiff' })] } });
    expect(screen.getByText(/not a picture we can read/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Emojify' })).toBeDisabled();
  });

  it('shows progress while polling, then the result, its download and each face', async () => {
    const { events, router } = await renderApp('/templates/1', { loggedInAs: 'mina' });
    await events.upload(await screen.findByLabelText('Photo'), jpeg());
    await events.click(screen.getByRole('button', { name: 'Emojify' }));
    await waitFor(() => expect(router.state.location.pathname).toMatch(/^\/results\//));
    // the fake job goes pending -> running -> done, one step a poll
    expect(await screen.findByText(/Finding faces and reading expressions/)).toBeInTheDocument();
    const result = await screen.findByAltText('Result', {}, { timeout: 5000 });
    expect(result).toHaveAttribute('src', expect.stringMatching(/out-.*\.jpg$/));
    expect(screen.getByRole('link', { name: 'Download' })).toHaveAttribute('href', expect.stringMatching(/out-.*\.jpg$/));
    const face = screen.getByTestId('face');
    expect(within(face).getByTestId('face-emotion')).toHaveTextContent('happy');
    expect(within(face).getAllByRole('progressbar')).toHaveLength(7);
    expect(within(face).getByRole('progressbar', { name: 'Face 1, happy score' })).toHaveAttribute('aria-valuenow', '88');
  });

  it('says so when the photo has no face', async () => {
    const { user } = await renderApp('/results/job-1', { loggedInAs: 'mina' });
    void user;
    server.use(
      http.get('/api/v1/faces/tasks/{task_id}/', ({ response }) =>
        response(200).json(
          makeJob({
            task_id: 'job-1', status: 'done', message: 'No face found in this photo.', finished_at: '2026-11-25T09:00:03Z',
            result: { image_url: 'http://localhost:3000/m/out.png', width: 10, height: 10, faces: [], summary: { faces: 0, by_emotion: {} } },
          }),
        ),
      ),
    );
    expect(await screen.findByText('No face found in this photo.')).toBeInTheDocument();
    expect(screen.getByAltText('Result')).toBeInTheDocument();
    expect(screen.queryByTestId('face')).toBeNull();
  });

  it('shows why a job failed', async () => {
    server.use(
      http.get('/api/v1/faces/tasks/{task_id}/', ({ response }) =>
        response(200).json(makeJob({ task_id: 'job-2', status: 'failed', error: 'The photo is corrupt.' })),
      ),
    );
    await renderApp('/results/job-2', { loggedInAs: 'mina' });
    expect(await screen.findByText('This photo could not be processed: The photo is corrupt.')).toBeInTheDocument();
  });

  it('shows the API message when the upload is refused', async () => {
    server.use(
      http.post('/api/v1/faces/tasks/', ({ response }) =>
        response(400).json(errorBody('invalid_image', 'This file is not an image we can read.')),
      ),
    );
    const { events } = await renderApp('/templates/1', { loggedInAs: 'mina' });
    await events.upload(await screen.findByLabelText('Photo'), pngFile('weird.png'));
    await events.click(screen.getByRole('button', { name: 'Emojify' }));
    expect(await screen.findByText('This file is not an image we can read.')).toBeInTheDocument();
  });

  it('lists several faces with their own emotions', async () => {
    server.use(
      http.get('/api/v1/faces/tasks/{task_id}/', ({ response }) =>
        response(200).json(
          makeJob({
            task_id: 'job-3', status: 'done', result: {
              image_url: 'http://localhost:3000/m/out.png', width: 10, height: 10,
              faces: [
                { box: [0, 0, 5, 5], emotion: 'sad', scores: scores('sad'), overridden: false },
                { box: [5, 5, 5, 5], emotion: 'surprise', scores: scores('surprise'), overridden: false },
              ],
              summary: { faces: 2, by_emotion: { sad: 1, surprise: 1 } },
            },
          }),
        ),
      ),
    );
    await renderApp('/results/job-3', { loggedInAs: 'mina' });
    expect(await screen.findByRole('heading', { name: '2 faces' })).toBeInTheDocument();
    expect(screen.getAllByTestId('face-emotion').map((e) => e.textContent)).toEqual(['sad', 'surprise']);
    expect(db.jobs).toHaveLength(0);
  });

  it('downloads the result named after its real image type', async () => {
    server.use(
      http.get('/api/v1/faces/tasks/{task_id}/', ({ response }) =>
        response(200).json(
          makeJob({
            task_id: 'abcdef12-job', status: 'done',
            result: {
              image_url: 'http://localhost:3000/api/v1/media/signed-token/', width: 10, height: 10, faces: [],
              summary: { faces: 0, by_emotion: {} },
            },
          }),
        ),
      ),
      http.get('/api/v1/media/{token}/', ({ response }) =>
        response.untyped(new HttpResponse(new Uint8Array([0xff, 0xd8, 0xff]), { headers: { 'Content-Type': 'image/jpeg' } })),
      ),
    );
    const saved: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const { events } = await renderApp('/results/abcdef12-job', { loggedInAs: 'mina' });
    await events.click(await screen.findByRole('link', { name: 'Download' }));
    await waitFor(() => expect(saved).toEqual(['igemoji-abcdef12.jpg']));
    click.mockRestore();
  });
});
