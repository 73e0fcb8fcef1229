import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { Job } from '@/types/openapi';

const getJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getJob: build.query<Job, string>({
      query: (taskId) => apiPath('/faces/tasks/{task_id}/', { task_id: taskId }),
      providesTags: (_result, _error, taskId) => [{ type: 'Job', id: taskId }],
      // the job view shows load errors itself (with a retry)
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetJobQuery } = getJobApi;
