import { baseApi } from '@/lib/api-client';
import type { User } from '@/types/api';

export type RegisterInput = { email: string; alias: string; password: string };

const registerApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    register: build.mutation<User, RegisterInput>({
      query: (body) => ({ url: '/users/', method: 'POST', body }),
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useRegisterMutation } = registerApi;
