import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import { loggedOut } from '@/lib/session';

const logoutApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    logout: build.mutation<void, { refreshToken: string | null }>({
      // Without a refresh token there is nothing to revoke on the server.
      queryFn: async ({ refreshToken }, _api, _extraOptions, baseQuery) => {
        if (refreshToken) {
          const result = await baseQuery({
            url: apiPath('/users/auth/logout/'),
            method: 'POST',
            body: { refresh_token: refreshToken },
          });
          if (result.error) return { error: result.error };
        }
        return { data: undefined };
      },
      // a failed server-side revoke does not keep the user logged in here
      extraOptions: { inlineErrors: true },
      async onQueryStarted(_input, { dispatch, queryFulfilled }) {
        // Log out locally whatever the server says: the user asked to leave.
        await queryFulfilled.catch(() => undefined);
        dispatch(loggedOut());
        dispatch(baseApi.util.resetApiState());
      },
    }),
  }),
});

export const { useLogoutMutation } = logoutApi;
