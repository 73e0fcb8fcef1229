import { baseApi } from '@/lib/api-client';
import type { JobCreated } from '@/types/api';

export type CreateJobInput = { templateId: number; image: File };

const createJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    createJob: build.mutation<JobCreated, CreateJobInput>({
      query: ({ templateId, image }) => {
        const body = new FormData();
        body.append('emoji_id', String(templateId));
        body.append('image', image);
        return { url: '/faces/tasks/', method: 'POST', body };
      },
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useCreateJobMutation } = createJobApi;
