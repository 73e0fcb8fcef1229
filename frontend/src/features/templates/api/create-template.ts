import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import { emotionValues, type Emotion, type Template } from '@/types/openapi';

export type CreateTemplateInput = { name: string; files: Record<Emotion, File> };

const createTemplateApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    createTemplate: build.mutation<Template, CreateTemplateInput>({
      query: ({ name, files }) => {
        const body = new FormData();
        body.append('name', name);
        for (const emotion of emotionValues) body.append(emotion, files[emotion]);
        return { url: apiPath('/emojis/'), method: 'POST', body };
      },
      extraOptions: { inlineErrors: true },
      invalidatesTags: ['MyUploads'],
    }),
  }),
});

export const { useCreateTemplateMutation } = createTemplateApi;
