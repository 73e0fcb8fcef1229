import { baseApi } from '@/lib/api-client';
import type { EmojiTemplate, Page } from '@/types/api';

const getTemplatesPageApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getTemplatesPage: build.query<Page<EmojiTemplate>, number>({
      query: (page) => `/emojis/pages/${page}`,
      providesTags: (result, _error, page) => [
        { type: 'TemplatePage', id: page },
        ...(result?.results ?? []).map((t) => ({ type: 'Template' as const, id: t.id })),
      ],
      // the page shows the error in place, with a retry
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetTemplatesPageQuery } = getTemplatesPageApi;
