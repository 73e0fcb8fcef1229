import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { TemplatePage } from '@/types/openapi';

const getTemplatesPageApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getTemplatesPage: build.query<TemplatePage, number>({
      query: (page) => apiPath('/emojis/pages/{page_number}/', { page_number: page }),
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
