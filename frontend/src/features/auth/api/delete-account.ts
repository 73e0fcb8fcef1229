import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { UserMeDeleteInputRequest } from '@/types/openapi';

const deleteAccountApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    deleteAccount: build.mutation<void, UserMeDeleteInputRequest>({
      query: ({ password }) => ({ url: apiPath('/users/me/'), method: 'DELETE', body: { password } }),
      // a wrong password is shown in the dialog
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useDeleteAccountMutation } = deleteAccountApi;
