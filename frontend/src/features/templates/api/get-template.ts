import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { Template } from '@/types/openapi';

const getTemplateApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getTemplate: build.query<Template, number>({
      query: (id) => apiPath('/emojis/{template_id}/', { template_id: id }),
      providesTags: (_result, _error, id) => [{ type: 'Template', id }],
      // the page shows the error in place, with a retry
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetTemplateQuery } = getTemplateApi;
