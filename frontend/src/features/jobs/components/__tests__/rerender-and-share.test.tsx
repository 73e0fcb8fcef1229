import { act, screen, waitFor, within } from '@testing-library/react';

import { i18n } from '@/lib/i18n';
import { db, makeJob, scores, summarize, type DbJob } from '@/testing/mocks/db';
import { errorBody, http } from '@/testing/mocks/http';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';
import type { Emotion, Face } from '@/types/openapi';

function face(x: number, emotion: Emotion): Face {
  return { box: [x, 10, 40, 40], emotion, scores: scores(emotion), overridden: false };
}

/** A done result of the logged-in user with these faces. */
function seedResult(ownerId: number, emotions: Emotion[], extra: Partial<DbJob> = {}): DbJob {
  const faces = emotions.map((e, i) => face(i * 50, e));
  const job: DbJob = {
    ...makeJob({
      task_id: 'job-group', status: 'done', finished_at: '2026-11-25T09:00:04Z',
      result: { image_url: 'http://localhost:3000/api/v1/media/out-group.jpg', width: 640, height: 480, faces, summary: summarize(faces) },
    }),
    ownerId,
    polls: 0,
    ...extra,
  };
  db.jobs.push(job);
  return job;
}

async function openResult(emotions: Emotion[], extra: Partial<DbJob> = {}) {
  const app = await renderApp('/gallery', { loggedInAs: 'mina' });
  const job = seedResult(app.user!.user.id, emotions, extra);
  await app.router.navigate(`/results/${job.task_id}`);
  await screen.findByAltText('Result');
  return { ...app, job };
}

describe('change a face’s emotion', () => {
  it('offers the seven emotions, re-renders with progress and shows the new version', async () => {
    const { events, router, job } = await openResult(['happy', 'sad']);
    await events.click(screen.getByRole('button', { name: 'Change emotion of face 1' }));
    const menu = await screen.findByRole('menu');
    const options = within(menu).getAllByRole('menuitemradio');
    expect(options.map((o) => o.textContent?.replace('✓', ''))).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
    expect(within(menu).getByRole('menuitemradio', { name: 'happy' })).toHaveAttribute('aria-checked', 'true');

    await events.click(within(menu).getByRole('menuitemradio', { name: 'surprise' }));
    await waitFor(() => expect(router.state.location.pathname).not.toBe(`/results/${job.task_id}`));
    const newId = router.state.location.pathname.replace('/results/', '');
    expect(db.jobs.find((j) => j.task_id === newId)?.rerender_of).toBe(job.task_id);
    // the new job is polled like any other: progress first, then its picture
    expect(await screen.findByRole('status')).toHaveTextContent(/Waiting|Finding faces/);
    const result = await screen.findByAltText('Result');
    expect(result).toHaveAttribute('src', expect.stringContaining(newId));
    expect(screen.getAllByTestId('face-emotion').map((c) => c.textContent)).toEqual(['surprise', 'sad']);
    expect(within(screen.getAllByTestId('face')[0]!).getByText('your choice')).toBeInTheDocument();
    expect(within(screen.getAllByTestId('face')[1]!).queryByText('your choice')).toBeNull();
    expect(screen.getByTestId('faces-summary')).toHaveTextContent('2 faces: 1 sad, 1 surprise');
    // the original is one click away, unchanged
    await events.click(screen.getByRole('link', { name: 'Open the version this one was made from' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/results/${job.task_id}`));
    await waitFor(() =>
      expect(screen.getAllByTestId('face-emotion').map((c) => c.textContent)).toEqual(['happy', 'sad']),
    );
  });

  it('choosing the emotion a face already has changes nothing', async () => {
    const { events, router, job } = await openResult(['happy']);
    await events.click(screen.getByRole('button', { name: 'Change emotion of face 1' }));
    await events.click(await screen.findByRole('menuitemradio', { name: 'happy' }));
    await waitFor(() => expect(screen.queryByRole('menu')).toBeNull());
    expect(db.jobs).toHaveLength(1);
    expect(router.state.location.pathname).toBe(`/results/${job.task_id}`);
  });

  it('shows the API message when the re-render is refused, and stays on the result', async () => {
    server.use(
      http.post('/api/v1/faces/tasks/{task_id}/rerender/', ({ response }) =>
        response(409).json(errorBody('task_expired', 'This photo was deleted after the retention period.')),
      ),
    );
    const { events, router, job } = await openResult(['happy']);
    await events.click(screen.getByRole('button', { name: 'Change emotion of face 1' }));
    await events.click(await screen.findByRole('menuitemradio', { name: 'sad' }));
    expect(await screen.findByText('This photo was deleted after the retention period.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/results/${job.task_id}`);
  });

  it('sums the faces up by emotion', async () => {
    await openResult(['sad', 'happy', 'happy', 'happy', 'happy']);
    expect(screen.getByTestId('faces-summary')).toHaveTextContent('5 faces: 4 happy, 1 sad');
    expect(screen.getByRole('heading', { name: '5 faces' })).toBeInTheDocument();
  });

  it('speaks Korean', async () => {
    const { events } = await openResult(['happy', 'sad']);
    await act(() => i18n.changeLanguage('ko'));
    expect(await screen.findByTestId('faces-summary')).toHaveTextContent('얼굴 2개: 기쁨 1, 슬픔 1');
    await events.click(screen.getByRole('button', { name: '얼굴 1의 표정 바꾸기' }));
    expect(await screen.findByRole('menuitemradio', { name: '놀람' })).toBeInTheDocument();
  });
});

describe('share a result', () => {
  it('"Share" copies a public link, "Stop sharing" turns it off', async () => {
    const { events, job } = await openResult(['happy']);
    // after renderApp: user-event puts its own clipboard stub in place
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    expect(screen.queryByRole('button', { name: 'Stop sharing' })).toBeNull();

    await events.click(screen.getByRole('button', { name: 'Share' }));
    expect(await screen.findByText('Link copied. Anyone with it can see this result.')).toBeInTheDocument();
    const url = db.jobs[0]!.share_url!;
    expect(writeText).toHaveBeenCalledWith(url);
    expect(await screen.findByRole('textbox', { name: 'Share link' })).toHaveValue(url);

    await events.click(screen.getByRole('button', { name: 'Stop sharing' }));
    expect(await screen.findByText('The link no longer works.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Share link' })).toBeNull());
    expect(db.jobs.find((j) => j.task_id === job.task_id)?.share_url).toBeNull();
  });

  it('shows the link to copy by hand when the clipboard is not available', async () => {
    const { events } = await openResult(['happy']);
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: vi.fn().mockRejectedValue(new Error('denied')) },
      configurable: true,
    });
    await events.click(screen.getByRole('button', { name: 'Share' }));
    expect(await screen.findByText('Copy the link below to share it.')).toBeInTheDocument();
    expect(await screen.findByRole('textbox', { name: 'Share link' })).toHaveValue(db.jobs[0]!.share_url!);
  });

  it('a shared result says so when opened again', async () => {
    await openResult(['happy'], { share_url: 'http://localhost:3000/s/already' });
    expect(screen.getByRole('textbox', { name: 'Share link' })).toHaveValue('http://localhost:3000/s/already');
    expect(screen.getByRole('button', { name: 'Stop sharing' })).toBeInTheDocument();
  });
});

describe('an expired result', () => {
  it('says its photo was deleted', async () => {
    const app = await renderApp('/gallery', { loggedInAs: 'mina' });
    seedResult(app.user!.user.id, [], { status: 'expired', result: null, input_url: null, expired_at: '2026-12-25T09:00:00Z' });
    await app.router.navigate('/results/job-group');
    expect(await screen.findByText('This photo and its result were deleted after the retention period.')).toBeInTheDocument();
    expect(screen.queryByAltText('Result')).toBeNull();
  });
});
