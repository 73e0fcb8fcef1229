// An in-memory stand-in for main_server, holding just what the SPA sees.
// Every shape is the generated one (src/types/openapi.ts, from docs/openapi.yaml).
import {
  emotionValues,
  type Emotion,
  type EmotionScores,
  type Face,
  type FacesSummary,
  type Job,
  type RankingOutput,
  type Template,
  type TemplateImages,
} from '@/types/openapi';

export type DbUser = { id: number; email: string; alias: string; password: string };
export type DbTemplate = Template & { ownerId: number; active: boolean };
// The handlers move a job along as it is polled, so its fields may change here;
// `plannedFaces` are a re-render's faces, given when it is created.
export type DbJob = { -readonly [K in keyof Job]: Job[K] } & { ownerId: number; polls: number; plannedFaces?: Face[] };

export const publicJob = ({ ownerId: _o, polls: _p, plannedFaces: _f, ...job }: DbJob): Job => job;

/** Like main_server's result.summary: emotions some face has, most first. */
export function summarize(faces: Face[]): FacesSummary {
  const counts = new Map<Emotion, number>();
  for (const face of faces) counts.set(face.emotion, (counts.get(face.emotion) ?? 0) + 1);
  const order = [...counts].sort((a, b) => b[1] - a[1] || emotionValues.indexOf(a[0]) - emotionValues.indexOf(b[0]));
  return { faces: faces.length, by_emotion: Object.fromEntries(order) };
}

export const MEDIA = 'http://localhost:3000/api/v1/media';

export function makeTemplate(overrides: Partial<Template> & { id: number; name: string }): Template {
  const images = Object.fromEntries(
    emotionValues.map((e) => [
      e,
      { original_url: `${MEDIA}/t${overrides.id}-${e}-orig`, cutout_url: `${MEDIA}/t${overrides.id}-${e}-cut`, cutout_method: 'alpha' },
    ]),
  ) as TemplateImages;
  return {
    owner_alias: 'igemoji',
    status: 'ready',
    error: '',
    is_builtin: false,
    created_at: '2026-11-25T09:00:00Z',
    preview_url: `${MEDIA}/t${overrides.id}-happy-cut`,
    images,
    ...overrides,
  };
}

/** A job as the API returns it; pending unless `overrides` say otherwise. */
export function makeJob(overrides: Partial<Job> & { task_id: string }): Job {
  return {
    status: 'pending',
    error: '',
    message: '',
    template: { id: 1, name: 'Noto' },
    created_at: '2026-11-25T09:00:00Z',
    finished_at: null,
    input_url: `${MEDIA}/in-${overrides.task_id}`,
    result: null,
    rerender_of: null,
    share_url: null,
    expired_at: null,
    ...overrides,
  };
}

export function scores(dominant: Emotion): EmotionScores {
  const base = Object.fromEntries(emotionValues.map((e) => [e, 0.02])) as EmotionScores;
  base[dominant] = 0.88;
  return base;
}

export const db = {
  users: [] as DbUser[],
  templates: [] as DbTemplate[],
  jobs: [] as DbJob[],
  ranking: [] as RankingOutput[],
  /** access token -> user id; tokens are opaque strings here */
  accessTokens: new Map<string, number>(),
  refreshTokens: new Map<string, number>(),
  nextId: 100,
};

export function resetDb(): void {
  db.users = [{ id: 1, email: 'system@igemoji.test', alias: 'igemoji', password: 'x' }];
  db.templates = [{ ...makeTemplate({ id: 1, name: 'Noto', is_builtin: true }), ownerId: 1, active: true }];
  db.jobs = [];
  db.ranking = [];
  db.accessTokens.clear();
  db.refreshTokens.clear();
  db.nextId = 100;
}

/** A logged-in user for tests that start past the login page. */
export function seedUser(alias = 'mina'): { user: DbUser; access: string; refresh: string } {
  const user: DbUser = { id: db.nextId++, email: `${alias}@example.com`, alias, password: 'Sup3r-secret!' };
  db.users.push(user);
  const access = `access-${user.id}-${db.nextId++}`;
  const refresh = `refresh-${user.id}-${db.nextId++}`;
  db.accessTokens.set(access, user.id);
  db.refreshTokens.set(refresh, user.id);
  return { user, access, refresh };
}
