import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';

const deleteTemplateApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    deleteTemplate: build.mutation<void, number>({
      query: (id) => ({ url: apiPath('/emojis/{template_id}/', { template_id: id }), method: 'DELETE' }),
      extraOptions: { inlineErrors: true },
      invalidatesTags: (_result, error, id) =>
        error ? [] : [{ type: 'Template', id }, 'TemplatePage', 'Ranking', 'MyUploads'],
    }),
  }),
});

export const { useDeleteTemplateMutation } = deleteTemplateApi;
