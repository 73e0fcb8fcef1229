import { baseApi } from '@/lib/api-client';
import type { EmojiTemplate, Page } from '@/types/api';

const getMyUploadsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getMyUploads: build.query<Page<EmojiTemplate>, number>({
      query: (page) => ({ url: '/users/mypage/upload', params: { page } }),
      providesTags: ['MyUploads'],
      // the page shows the error in place, with a retry
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetMyUploadsQuery } = getMyUploadsApi;
