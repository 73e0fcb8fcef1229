import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { UsersCreateOutput } from '@/types/openapi';

export type RegisterInput = { email: string; alias: string; password: string };

const registerApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    register: build.mutation<UsersCreateOutput, RegisterInput>({
      query: (body) => ({ url: apiPath('/users/'), method: 'POST', body }),
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useRegisterMutation } = registerApi;
