import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { TemplatePage } from '@/types/openapi';

const getMyUploadsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getMyUploads: build.query<TemplatePage, number>({
      query: (page) => ({ url: apiPath('/users/mypage/upload/'), params: { page } }),
      providesTags: ['MyUploads'],
      // the page shows the error in place, with a retry
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetMyUploadsQuery } = getMyUploadsApi;
