import { baseApi } from '@/lib/api-client';

const deleteTemplateApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    deleteTemplate: build.mutation<void, number>({
      query: (id) => ({ url: `/emojis/${id}`, method: 'DELETE' }),
      extraOptions: { inlineErrors: true },
      invalidatesTags: (_result, error, id) =>
        error ? [] : [{ type: 'Template', id }, 'TemplatePage', 'Ranking', 'MyUploads'],
    }),
  }),
});

export const { useDeleteTemplateMutation } = deleteTemplateApi;
