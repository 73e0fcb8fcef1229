import { baseApi } from '@/lib/api-client';
import { EMOTIONS, type Emotion, type EmojiTemplate } from '@/types/api';

export type CreateTemplateInput = { name: string; files: Record<Emotion, File> };

const createTemplateApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    createTemplate: build.mutation<EmojiTemplate, CreateTemplateInput>({
      query: ({ name, files }) => {
        const body = new FormData();
        body.append('name', name);
        for (const emotion of EMOTIONS) body.append(emotion, files[emotion]);
        return { url: '/emojis/', method: 'POST', body };
      },
      extraOptions: { inlineErrors: true },
      invalidatesTags: ['MyUploads'],
    }),
  }),
});

export const { useCreateTemplateMutation } = createTemplateApi;
