import { baseApi } from '@/lib/api-client';
import type { Job, Page } from '@/types/api';

const getMyResultsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getMyResults: build.query<Page<Job>, number>({
      query: (page) => ({ url: '/users/mypage/result', params: { page } }),
      providesTags: ['MyResults'],
      // the page shows the error in place, with a retry
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetMyResultsQuery } = getMyResultsApi;
