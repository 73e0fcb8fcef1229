import { baseApi } from '@/lib/api-client';
import type { EmojiTemplate } from '@/types/api';

const getTemplateApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getTemplate: build.query<EmojiTemplate, number>({
      query: (id) => `/emojis/${id}`,
      providesTags: (_result, _error, id) => [{ type: 'Template', id }],
      // the page shows the error in place, with a retry
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetTemplateQuery } = getTemplateApi;
