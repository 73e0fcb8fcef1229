import { baseApi } from '@/lib/api-client';
import type { Job } from '@/types/api';

const getJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getJob: build.query<Job, string>({
      query: (taskId) => `/faces/tasks/${encodeURIComponent(taskId)}`,
      providesTags: (_result, _error, taskId) => [{ type: 'Job', id: taskId }],
      // the job view shows load errors itself (with a retry)
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetJobQuery } = getJobApi;
