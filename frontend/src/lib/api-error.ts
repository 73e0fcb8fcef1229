import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { SerializedError } from '@reduxjs/toolkit';

import { i18n } from '@/lib/i18n';
import type { ErrorResponse } from '@/types/openapi';

export type ApiError = {
  status: number | 'network';
  code: string;
  message: string;
  fields: Record<string, string[]>;
};

function isApiErrorBody(data: unknown): data is ErrorResponse {
  if (typeof data !== 'object' || data === null || !('error' in data)) return false;
  const err = (data as { error: unknown }).error;
  return typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string';
}

/**
 * Turn whatever RTK Query reports into one shape with a message a person can
 * read: the API's own message when there is one, a plain sentence otherwise.
 */
export function toApiError(error: FetchBaseQueryError | SerializedError | undefined): ApiError | null {
  if (!error) return null;
  if ('status' in error) {
    const { status } = error;
    if (typeof status === 'number') {
      if (isApiErrorBody(error.data)) {
        return {
          status,
          code: error.data.error.code,
          message: error.data.error.message,
          fields: error.data.error.fields ?? {},
        };
      }
      return { status, code: `http_${status}`, message: i18n.t('errors.http', { status }), fields: {} };
    }
    if (status === 'FETCH_ERROR' || status === 'TIMEOUT_ERROR') {
      return { status: 'network', code: 'network', message: i18n.t('errors.network'), fields: {} };
    }
    return { status: 'network', code: 'bad_response', message: i18n.t('errors.badResponse'), fields: {} };
  }
  return { status: 'network', code: 'client', message: error.message ?? i18n.t('errors.unknown'), fields: {} };
}
