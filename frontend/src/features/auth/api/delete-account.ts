import { baseApi } from '@/lib/api-client';

const deleteAccountApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    deleteAccount: build.mutation<void, { password: string }>({
      query: ({ password }) => ({ url: '/users/me', method: 'DELETE', body: { password } }),
      // a wrong password is shown in the dialog
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useDeleteAccountMutation } = deleteAccountApi;
