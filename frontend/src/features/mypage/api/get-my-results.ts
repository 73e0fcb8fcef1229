import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { JobPage } from '@/types/openapi';

const getMyResultsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getMyResults: build.query<JobPage, number>({
      query: (page) => ({ url: apiPath('/users/mypage/result/'), params: { page } }),
      providesTags: ['MyResults'],
      // the page shows the error in place, with a retry
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetMyResultsQuery } = getMyResultsApi;
