// MSW's `http`, typed by the generated schema: a handler can only be written for a
// path and method the API has, and `response(status).json(...)` only accepts the
// body the schema gives that status. Tests use this one too.
import { createOpenApiHttp } from 'openapi-msw';

import type { ErrorResponse, paths } from '@/types/openapi';

export const http = createOpenApiHttp<paths>({ baseUrl: 'http://localhost:3000' });

export const errorBody = (code: string, message: string, fields?: Record<string, string[]>): ErrorResponse => ({
  error: { code, message, ...(fields ? { fields } : {}) },
});
