import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import { loggedIn } from '@/lib/session';
import type { LoginOutput } from '@/types/openapi';

export type LoginInput = { email: string; password: string };

const loginApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    login: build.mutation<LoginOutput, LoginInput>({
      query: (body) => ({ url: apiPath('/users/auth/'), method: 'POST', body }),
      extraOptions: { inlineErrors: true },
      async onQueryStarted(_input, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          // a different user may log in on the same tab: drop everything cached
          dispatch(baseApi.util.resetApiState());
          dispatch(
            loggedIn({ accessToken: data.access_token, refreshToken: data.refresh_token, user: data.user }),
          );
        } catch {
          // the form shows the error
        }
      },
    }),
  }),
});

export const { useLoginMutation } = loginApi;
