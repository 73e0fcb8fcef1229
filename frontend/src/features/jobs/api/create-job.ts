import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { JobCreateOutput } from '@/types/openapi';

export type CreateJobInput = { templateId: number; image: File };

const createJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    createJob: build.mutation<JobCreateOutput, CreateJobInput>({
      query: ({ templateId, image }) => {
        const body = new FormData();
        body.append('emoji_id', String(templateId));
        body.append('image', image);
        return { url: apiPath('/faces/tasks/'), method: 'POST', body };
      },
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useCreateJobMutation } = createJobApi;
