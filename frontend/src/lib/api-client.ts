import {
  createApi,
  fetchBaseQuery,
  type BaseQueryFn,
  type FetchArgs,
  type FetchBaseQueryError,
} from '@reduxjs/toolkit/query/react';

import { env } from '@/config/env';
import { apiPath } from '@/lib/api-paths';
import { toApiError } from '@/lib/api-error';
import { notify } from '@/lib/notifications';
import { loadSession, sessionExpired, tokensRefreshed, type SessionState } from '@/lib/session';

/** Per-endpoint options: `inlineErrors` means the component shows the error itself. */
export type ApiExtraOptions = { inlineErrors?: boolean };

type State = { session: SessionState };

const rawBaseQuery = fetchBaseQuery({
  baseUrl: env.apiUrl,
  prepareHeaders(headers, { getState }) {
    const token = (getState() as State).session.accessToken;
    if (token) headers.set('Authorization', `Bearer ${token}`);
    headers.set('Accept', 'application/json');
    return headers;
  },
});

// One refresh at a time: when several requests get 401 together they all wait
// for the same refresh instead of each burning (and blacklisting) the token.
let refreshing: Promise<boolean> | null = null;

async function refreshTokens(
  api: Parameters<BaseQueryFn>[1],
  extraOptions: object,
): Promise<boolean> {
  // Tabs share the session through localStorage. If another tab has rotated
  // the refresh token already, ours is spent: presenting it again counts as
  // token theft on the server and signs out every session. Use the newest one.
  const stored = loadSession().refreshToken;
  const refreshToken = stored ?? (api.getState() as State).session.refreshToken;
  if (!refreshToken) return false;
  const result = await rawBaseQuery(
    { url: apiPath('/users/auth/refresh/'), method: 'POST', body: { refresh_token: refreshToken } },
    api,
    extraOptions,
  );
  const data = result.data as { access_token?: string; refresh_token?: string } | undefined;
  if (data?.access_token) {
    api.dispatch(tokensRefreshed({ accessToken: data.access_token, refreshToken: data.refresh_token }));
    return true;
  }
  return false;
}

function isAuthCall(args: string | FetchArgs): boolean {
  const url = typeof args === 'string' ? args : args.url;
  return url.startsWith('/users/auth');
}

export const baseQueryWithReauth: BaseQueryFn<
  string | FetchArgs,
  unknown,
  FetchBaseQueryError,
  ApiExtraOptions
> = async (args, api, extraOptions = {}) => {
  let result = await rawBaseQuery(args, api, extraOptions);
  const hadToken = (api.getState() as State).session.accessToken !== null;

  if (result.error?.status === 401 && hadToken && !isAuthCall(args)) {
    refreshing ??= refreshTokens(api, extraOptions).finally(() => {
      refreshing = null;
    });
    if (await refreshing) {
      result = await rawBaseQuery(args, api, extraOptions);
    } else {
      // Refresh failed: log out here. Public reads (gallery, Top 3) are retried
      // without a token and work; private pages are sent to the login page by
      // the route guard, which says why — so that 401 needs no toast.
      if ((api.getState() as State).session.accessToken !== null) api.dispatch(sessionExpired());
      result = await rawBaseQuery(args, api, extraOptions);
      if (result.error?.status === 401) return result;
    }
  }

  if (result.error && !extraOptions.inlineErrors) {
    const error = toApiError(result.error);
    if (error) api.dispatch(notify({ severity: 'error', message: error.message }));
  }
  return result;
};

export const baseApi = createApi({
  reducerPath: 'api',
  baseQuery: baseQueryWithReauth,
  tagTypes: ['Template', 'TemplatePage', 'Ranking', 'Job', 'MyResults', 'MyUploads'],
  endpoints: () => ({}),
});
