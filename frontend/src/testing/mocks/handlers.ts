import { emotionValues, type Template } from '@/types/openapi';

import { db, makeJob, makeTemplate, MEDIA, publicJob, scores, summarize, type DbTemplate } from './db';
import { errorBody, http } from './http';

const PAGE_SIZE = 8;

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

const publicTemplate = ({ ownerId: _o, active: _a, ...t }: DbTemplate): Template => t;
const NOT_AUTHENTICATED = errorBody('not_authenticated', 'Authentication credentials were not provided.');
const PAGE_NOT_FOUND = errorBody('page_not_found', 'There is no such page.');

export const handlers = [
  // Like simplejwt: a token that is sent must be valid, even on public endpoints.
  http.untyped.all('http://localhost:3000/api/v1/*', ({ request }) => {
    const header = request.headers.get('Authorization');
    if (header && !new URL(request.url).pathname.includes('/users/auth') && caller(request) === null) {
      return Response.json(errorBody('token_not_valid', 'Given token not valid for any token type.'), { status: 401 });
    }
    return undefined; // fall through to the endpoint's handler
  }),

  http.get('/api/v1/users/', ({ query, response }) => {
    const field = query.get('case');
    const value = (query.get('value') ?? '').toLowerCase();
    if (field !== 'email' && field !== 'alias') {
      return response(400).json(errorBody('validation_error', 'case must be email or alias.'));
    }
    return response(200).json({ available: !db.users.some((u) => u[field].toLowerCase() === value) });
  }),

  http.post('/api/v1/users/', async ({ request, response }) => {
    const body = await request.json();
    if (db.users.some((u) => u.email === body.email)) {
      return response(409).json(errorBody('email_taken', 'This email is already registered.'));
    }
    if (db.users.some((u) => u.alias === body.alias)) {
      return response(409).json(errorBody('alias_taken', 'This alias is already taken.'));
    }
    if (body.password.length < 8) {
      return response(400).json(
        errorBody('weak_password', 'This password is too short.', { password: ['This password is too short.'] }),
      );
    }
    const user = { id: db.nextId++, ...body };
    db.users.push(user);
    return response(201).json({ id: user.id, email: user.email, alias: user.alias });
  }),

  http.post('/api/v1/users/auth/', async ({ request, response }) => {
    const body = await request.json();
    const user = db.users.find((u) => u.email === body.email && u.password === body.password);
    if (!user) return response(401).json(errorBody('invalid_credentials', 'Email or password is wrong.'));
    const access = `access-${user.id}-${db.nextId++}`;
    const refresh = `refresh-${user.id}-${db.nextId++}`;
    db.accessTokens.set(access, user.id);
    db.refreshTokens.set(refresh, user.id);
    return response(200).json({ access_token: access, refresh_token: refresh, user: { id: user.id, alias: user.alias } });
  }),

  http.post('/api/v1/users/auth/refresh/', async ({ request, response }) => {
    const { refresh_token } = await request.json();
    const userId = db.refreshTokens.get(refresh_token);
    if (!userId) return response(401).json(errorBody('token_not_valid', 'Token is invalid or expired.'));
    db.refreshTokens.delete(refresh_token); // rotation
    const access = `access-${userId}-${db.nextId++}`;
    const refresh = `refresh-${userId}-${db.nextId++}`;
    db.accessTokens.set(access, userId);
    db.refreshTokens.set(refresh, userId);
    return response(200).json({ access_token: access, refresh_token: refresh });
  }),

  http.post('/api/v1/users/auth/logout/', async ({ request, response }) => {
    const { refresh_token } = await request.json();
    db.refreshTokens.delete(refresh_token);
    return response(204).empty();
  }),

  http.get('/api/v1/users/mypage/result/', ({ request, query, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const mine = db.jobs.filter((j) => j.ownerId === userId).map(publicJob).reverse();
    const body = paginate(mine, Number(query.get('page') ?? '1'));
    return body ? response(200).json(body) : response(404).json(PAGE_NOT_FOUND);
  }),

  http.get('/api/v1/users/mypage/upload/', ({ request, query, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const mine = db.templates.filter((t) => t.ownerId === userId && t.active).map(publicTemplate).reverse();
    const body = paginate(mine, Number(query.get('page') ?? '1'));
    return body ? response(200).json(body) : response(404).json(PAGE_NOT_FOUND);
  }),

  http.get('/api/v1/emojis/pages/{page_number}/', ({ params, response }) => {
    const ready = db.templates.filter((t) => t.active && t.status === 'ready').map(publicTemplate).reverse();
    const body = paginate(ready, Number(params.page_number));
    return body ? response(200).json(body) : response(404).json(PAGE_NOT_FOUND);
  }),

  http.get('/api/v1/emojis/{template_id}/', ({ params, response }) => {
    const template = db.templates.find((t) => t.id === Number(params.template_id) && t.active);
    return template
      ? response(200).json(publicTemplate(template))
      : response(404).json(errorBody('template_not_found', 'Template not found.'));
  }),

  http.post('/api/v1/emojis/', async ({ request, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const form = await request.formData();
    const name = String(form.get('name') ?? '');
    const missing = emotionValues.filter((e) => !(form.get(e) instanceof File));
    if (!name || missing.length) {
      return response(400).json(
        errorBody('validation_error', `Missing: ${[...(name ? [] : ['name']), ...missing].join(', ')}.`),
      );
    }
    const owner = db.users.find((u) => u.id === userId);
    const template: DbTemplate = {
      ...makeTemplate({ id: db.nextId++, name, owner_alias: owner?.alias ?? '?' }),
      status: 'processing',
      preview_url: null,
      ownerId: userId,
      active: true,
    };
    db.templates.push(template);
    return response(202).json(publicTemplate(template));
  }),

  http.delete('/api/v1/emojis/{template_id}/', ({ request, params, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const template = db.templates.find((t) => t.id === Number(params.template_id) && t.active);
    if (!template) return response(404).json(errorBody('template_not_found', 'Template not found.'));
    if (template.ownerId !== userId) {
      return response(403).json(errorBody('forbidden', 'Only the owner can delete a template.'));
    }
    template.active = false;
    return response(204).empty();
  }),

  http.post('/api/v1/faces/tasks/', async ({ request, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const form = await request.formData();
    const template = db.templates.find((t) => t.id === Number(form.get('emoji_id')) && t.active);
    if (!template) return response(404).json(errorBody('template_not_found', 'Template not found.'));
    if (!(form.get('image') instanceof File)) {
      return response(400).json(errorBody('validation_error', 'image: No file was submitted.'));
    }
    const taskId = `00000000-0000-4000-8000-${String(db.nextId++).padStart(12, '0')}`;
    db.jobs.push({
      ...makeJob({ task_id: taskId, template: { id: template.id, name: template.name }, created_at: new Date().toISOString() }),
      ownerId: userId,
      polls: 0,
    });
    return response(202).json({ task_id: taskId, status: 'pending' });
  }),

  // A job moves on one step each time it is polled: pending -> running -> done.
  http.get('/api/v1/faces/tasks/{task_id}/', ({ request, params, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const job = db.jobs.find((j) => j.task_id === params.task_id && j.ownerId === userId);
    if (!job) return response(404).json(errorBody('task_not_found', 'Task not found.'));
    job.polls += 1;
    if (job.status === 'pending' && job.polls >= 1) job.status = 'running';
    else if (job.status === 'running' && job.polls >= 2) {
      job.status = 'done';
      job.finished_at = new Date().toISOString();
      const faces = job.plannedFaces ?? [{ box: [100, 80, 120, 120], emotion: 'happy', scores: scores('happy'), overridden: false }];
      job.result = { image_url: `${MEDIA}/out-${job.task_id}.jpg`, width: 640, height: 480, faces, summary: summarize(faces) };
    }
    return response(200).json(publicJob(job));
  }),

  // Like main_server: a new job on the same faces, the named ones changed and marked.
  http.post('/api/v1/faces/tasks/{task_id}/rerender/', async ({ request, params, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const source = db.jobs.find((j) => j.task_id === params.task_id && j.ownerId === userId);
    if (!source) return response(404).json(errorBody('task_not_found', 'Task not found.'));
    if (source.status !== 'done' || !source.result) {
      return response(409).json(errorBody('task_not_done', 'Only a finished result can be re-rendered.'));
    }
    const { overrides } = await request.json();
    const faces = source.result.faces;
    const bad = Object.keys(overrides).find((i) => Number(i) >= faces.length);
    if (bad !== undefined) {
      return response(400).json(errorBody('invalid_overrides', `There is no face ${bad}.`, { overrides: [`There is no face ${bad}.`] }));
    }
    const taskId = `00000000-0000-4000-8000-${String(db.nextId++).padStart(12, '0')}`;
    db.jobs.push({
      ...makeJob({ task_id: taskId, template: source.template, created_at: new Date().toISOString(), rerender_of: source.task_id }),
      ownerId: userId,
      polls: 0,
      plannedFaces: faces.map((face, i) => {
        const chosen = overrides[String(i)];
        return chosen ? { ...face, emotion: chosen, overridden: true } : face;
      }),
    });
    return response(202).json({ task_id: taskId, status: 'pending' });
  }),

  http.post('/api/v1/faces/tasks/{task_id}/share/', ({ request, params, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const job = db.jobs.find((j) => j.task_id === params.task_id && j.ownerId === userId);
    if (!job) return response(404).json(errorBody('task_not_found', 'Task not found.'));
    if (job.status !== 'done') return response(409).json(errorBody('task_not_done', 'Only a finished result can be shared.'));
    if (job.share_url) return response(200).json({ share_url: job.share_url });
    job.share_url = `http://localhost:3000/s/share-${db.nextId++}`;
    return response(201).json({ share_url: job.share_url });
  }),

  http.delete('/api/v1/faces/tasks/{task_id}/share/', ({ request, params, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const job = db.jobs.find((j) => j.task_id === params.task_id && j.ownerId === userId);
    if (!job) return response(404).json(errorBody('task_not_found', 'Task not found.'));
    job.share_url = null;
    return response(204).empty();
  }),

  http.delete('/api/v1/users/me/', async ({ request, response }) => {
    const userId = caller(request);
    if (!userId) return response(401).json(NOT_AUTHENTICATED);
    const { password } = await request.json();
    if (!password) {
      return response(400).json(errorBody('validation_error', 'password: This field is required.', { password: ['This field is required.'] }));
    }
    const user = db.users.find((u) => u.id === userId);
    if (!user || user.password !== password) {
      return response(400).json(
        errorBody('wrong_password', 'The password is wrong; nothing was deleted.', { password: ['The password is wrong.'] }),
      );
    }
    db.users = db.users.filter((u) => u.id !== userId);
    db.jobs = db.jobs.filter((j) => j.ownerId !== userId);
    for (const template of db.templates) if (template.ownerId === userId) template.active = false;
    for (const tokens of [db.accessTokens, db.refreshTokens]) {
      for (const [token, id] of tokens) if (id === userId) tokens.delete(token);
    }
    return response(204).empty();
  }),

  http.get('/api/v1/faces/ranking/', ({ response }) => response(200).json(db.ranking)),
];
