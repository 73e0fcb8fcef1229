import { http, HttpResponse, type PathParams } from 'msw';

import { EMOTIONS, type EmojiTemplate, type Emotion } from '@/types/api';

import { db, makeTemplate, MEDIA, publicJob, scores, summarize } from './db';

const API = 'http://localhost:3000/api/v1';
const PAGE_SIZE = 8;

export const apiError = (status: number, code: string, message: string, fields?: Record<string, string[]>) =>
  HttpResponse.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status });

function caller(request: Request): number | null {
  const header = request.headers.get('Authorization') ?? '';
  const token = header.replace(/^Bearer /, '');
  return db.accessTokens.get(token) ?? null;
}

function paginate<T>(items: T[], page: number) {
  const numPages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  if (!Number.isInteger(page) || page < 1 || page > numPages) return null;
  return { count: items.length, num_pages: numPages, page, results: items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) };
}

const publicTemplate = ({ ownerId: _o, active: _a, ...t }: EmojiTemplate & { ownerId: number; active: boolean }) => t;
const notAuthenticated = () => apiError(401, 'not_authenticated', 'Authentication credentials were not provided.');

export const handlers = [
  // Like simplejwt: a token that is sent must be valid, even on public endpoints.
  http.all(`${API}/*`, ({ request }) => {
    const header = request.headers.get('Authorization');
    if (header && !new URL(request.url).pathname.includes('/users/auth') && caller(request) === null) {
      return apiError(401, 'token_not_valid', 'Given token not valid for any token type.');
    }
    return undefined; // fall through to the endpoint's handler
  }),

  http.get(`${API}/users/`, ({ request }) => {
    const url = new URL(request.url);
    const field = url.searchParams.get('case');
    const value = (url.searchParams.get('value') ?? '').toLowerCase();
    if (field !== 'email' && field !== 'alias') return apiError(400, 'invalid', 'case must be email or alias.');
    return HttpResponse.json({ available: !db.users.some((u) => u[field].toLowerCase() === value) });
  }),

  http.post(`${API}/users/`, async ({ request }) => {
    const body = (await request.json()) as { email: string; alias: string; password: string };
    if (db.users.some((u) => u.email === body.email)) return apiError(409, 'email_taken', 'This email is already registered.');
    if (db.users.some((u) => u.alias === body.alias)) return apiError(409, 'alias_taken', 'This alias is already taken.');
    if (body.password.length < 8) {
      return apiError(400, 'validation_error', 'Invalid input.', { password: ['This password is too short.'] });
    }
    const user = { id: db.nextId++, ...body };
    db.users.push(user);
    return HttpResponse.json({ id: user.id, email: user.email, alias: user.alias }, { status: 201 });
  }),

  http.post(`${API}/users/auth`, async ({ request }) => {
    const body = (await request.json()) as { email: string; password: string };
    const user = db.users.find((u) => u.email === body.email && u.password === body.password);
    if (!user) return apiError(401, 'invalid_credentials', 'Email or password is wrong.');
    const access = `access-${user.id}-${db.nextId++}`;
    const refresh = `refresh-${user.id}-${db.nextId++}`;
    db.accessTokens.set(access, user.id);
    db.refreshTokens.set(refresh, user.id);
    return HttpResponse.json({ access_token: access, refresh_token: refresh, user: { id: user.id, alias: user.alias } });
  }),

  http.post(`${API}/users/auth/refresh`, async ({ request }) => {
    const { refresh_token } = (await request.json()) as { refresh_token: string };
    const userId = db.refreshTokens.get(refresh_token);
    if (!userId) return apiError(401, 'token_not_valid', 'Token is invalid or expired.');
    db.refreshTokens.delete(refresh_token); // rotation
    const access = `access-${userId}-${db.nextId++}`;
    const refresh = `refresh-${userId}-${db.nextId++}`;
    db.accessTokens.set(access, userId);
    db.refreshTokens.set(refresh, userId);
    return HttpResponse.json({ access_token: access, refresh_token: refresh });
  }),

  http.post(`${API}/users/auth/logout`, async ({ request }) => {
    const { refresh_token } = (await request.json()) as { refresh_token: string };
    db.refreshTokens.delete(refresh_token);
    return new HttpResponse(null, { status: 204 });
  }),

  http.get(`${API}/users/mypage/:case`, ({ request, params }) => {
    const userId = caller(request);
    if (!userId) return notAuthenticated();
    const page = Number(new URL(request.url).searchParams.get('page') ?? '1');
    const items: unknown[] =
      params.case === 'result'
        ? db.jobs.filter((j) => j.ownerId === userId).map(publicJob).reverse()
        : db.templates.filter((t) => t.ownerId === userId && t.active).map(publicTemplate).reverse();
    const body = paginate(items, page);
    return body ? HttpResponse.json(body) : apiError(404, 'page_not_found', 'There is no such page.');
  }),

  http.get(`${API}/emojis/pages/:page`, ({ params }) => {
    const ready = db.templates.filter((t) => t.active && t.status === 'ready').map(publicTemplate).reverse();
    const body = paginate(ready, Number(params.page));
    return body ? HttpResponse.json(body) : apiError(404, 'page_not_found', 'There is no such page.');
  }),

  http.get<PathParams<'id'>>(`${API}/emojis/:id`, ({ params }) => {
    const template = db.templates.find((t) => t.id === Number(params.id) && t.active);
    return template ? HttpResponse.json(publicTemplate(template)) : apiError(404, 'not_found', 'No such template.');
  }),

  http.post(`${API}/emojis/`, async ({ request }) => {
    const userId = caller(request);
    if (!userId) return notAuthenticated();
    const form = await request.formData();
    const name = String(form.get('name') ?? '');
    const missing = EMOTIONS.filter((e) => !(form.get(e) instanceof File));
    if (!name || missing.length) {
      return apiError(400, 'validation_error', `Missing: ${[...(name ? [] : ['name']), ...missing].join(', ')}.`);
    }
    const owner = db.users.find((u) => u.id === userId);
    const template = { ...makeTemplate({ id: db.nextId++, name, owner_alias: owner?.alias ?? '?' }), status: 'processing' as const, preview_url: null, ownerId: userId, active: true };
    db.templates.push(template);
    return HttpResponse.json(publicTemplate(template), { status: 202 });
  }),

  http.delete(`${API}/emojis/:id`, ({ request, params }) => {
    const userId = caller(request);
    if (!userId) return notAuthenticated();
    const template = db.templates.find((t) => t.id === Number(params.id) && t.active);
    if (!template) return apiError(404, 'not_found', 'No such template.');
    if (template.ownerId !== userId) return apiError(403, 'forbidden', 'Only the owner can delete a template.');
    template.active = false;
    return new HttpResponse(null, { status: 204 });
  }),

  http.post(`${API}/faces/tasks/`, async ({ request }) => {
    const userId = caller(request);
    if (!userId) return notAuthenticated();
    const form = await request.formData();
    const template = db.templates.find((t) => t.id === Number(form.get('emoji_id')) && t.active);
    if (!template) return apiError(400, 'validation_error', 'No such template.');
    if (!(form.get('image') instanceof File)) return apiError(400, 'validation_error', 'image is required.');
    const taskId = `00000000-0000-4000-8000-${String(db.nextId++).padStart(12, '0')}`;
    db.jobs.push({
      task_id: taskId, status: 'pending', error: '', ownerId: userId, polls: 0,
      template: { id: template.id, name: template.name }, created_at: new Date().toISOString(), finished_at: null,
      input_url: `${MEDIA}/in-${taskId}`, result: null,
    });
    return HttpResponse.json({ task_id: taskId, status: 'pending' }, { status: 202 });
  }),

  // A job moves on one step each time it is polled: pending -> running -> done.
  http.get(`${API}/faces/tasks/:taskId`, ({ request, params }) => {
    const userId = caller(request);
    if (!userId) return notAuthenticated();
    const job = db.jobs.find((j) => j.task_id === params.taskId && j.ownerId === userId);
    if (!job) return apiError(404, 'not_found', 'No such task.');
    job.polls += 1;
    if (job.status === 'pending' && job.polls >= 1) job.status = 'running';
    else if (job.status === 'running' && job.polls >= 2) {
      job.status = 'done';
      job.finished_at = new Date().toISOString();
      const faces = job.plannedFaces ?? [{ box: [100, 80, 120, 120], emotion: 'happy', scores: scores('happy'), overridden: false }];
      job.result = { image_url: `${MEDIA}/out-${job.task_id}.jpg`, width: 640, height: 480, faces, summary: summarize(faces) };
    }
    return HttpResponse.json(publicJob(job));
  }),

  // Like main_server: a new job on the same faces, the named ones changed and marked.
  http.post(`${API}/faces/tasks/:taskId/rerender`, async ({ request, params }) => {
    const userId = caller(request);
    if (!userId) return notAuthenticated();
    const source = db.jobs.find((j) => j.task_id === params.taskId && j.ownerId === userId);
    if (!source) return apiError(404, 'task_not_found', 'Task not found.');
    if (source.status !== 'done' || !source.result) return apiError(409, 'task_not_done', 'Only a finished result can be re-rendered.');
    const { overrides } = (await request.json()) as { overrides: Record<string, Emotion> };
    const faces = source.result.faces;
    const bad = Object.keys(overrides).find((i) => Number(i) >= faces.length);
    if (bad !== undefined) {
      return apiError(400, 'invalid_overrides', `There is no face ${bad}.`, { overrides: [`There is no face ${bad}.`] });
    }
    const taskId = `00000000-0000-4000-8000-${String(db.nextId++).padStart(12, '0')}`;
    db.jobs.push({
      task_id: taskId, status: 'pending', error: '', ownerId: userId, polls: 0,
      template: source.template, created_at: new Date().toISOString(), finished_at: null,
      input_url: `${MEDIA}/in-${taskId}`, result: null, rerender_of: source.task_id, share_url: null,
      plannedFaces: faces.map((f, i) => {
        const chosen = overrides[String(i)];
        return chosen ? { ...f, emotion: chosen, overridden: true } : f;
      }),
    });
    return HttpResponse.json({ task_id: taskId, status: 'pending' }, { status: 202 });
  }),

  http.post(`${API}/faces/tasks/:taskId/share`, ({ request, params }) => {
    const userId = caller(request);
    if (!userId) return notAuthenticated();
    const job = db.jobs.find((j) => j.task_id === params.taskId && j.ownerId === userId);
    if (!job) return apiError(404, 'task_not_found', 'Task not found.');
    if (job.status !== 'done') return apiError(409, 'task_not_done', 'Only a finished result can be shared.');
    const created = !job.share_url;
    job.share_url ??= `http://localhost:3000/s/share-${db.nextId++}`;
    return HttpResponse.json({ share_url: job.share_url }, { status: created ? 201 : 200 });
  }),

  http.delete(`${API}/faces/tasks/:taskId/share`, ({ request, params }) => {
    const userId = caller(request);
    if (!userId) return notAuthenticated();
    const job = db.jobs.find((j) => j.task_id === params.taskId && j.ownerId === userId);
    if (!job) return apiError(404, 'task_not_found', 'Task not found.');
    job.share_url = null;
    return new HttpResponse(null, { status: 204 });
  }),

  http.delete(`${API}/users/me`, async ({ request }) => {
    const userId = caller(request);
    if (!userId) return notAuthenticated();
    const { password } = (await request.json()) as { password?: string };
    const user = db.users.find((u) => u.id === userId);
    if (!password) return apiError(400, 'validation_error', 'password: This field is required.', { password: ['This field is required.'] });
    if (!user || user.password !== password) {
      return apiError(400, 'wrong_password', 'The password is wrong; nothing was deleted.', { password: ['The password is wrong.'] });
    }
    db.users = db.users.filter((u) => u.id !== userId);
    db.jobs = db.jobs.filter((j) => j.ownerId !== userId);
    for (const template of db.templates) if (template.ownerId === userId) template.active = false;
    for (const tokens of [db.accessTokens, db.refreshTokens]) {
      for (const [token, id] of tokens) if (id === userId) tokens.delete(token);
    }
    return new HttpResponse(null, { status: 204 });
  }),

  http.get(`${API}/faces/ranking`, () => HttpResponse.json(db.ranking)),
];
