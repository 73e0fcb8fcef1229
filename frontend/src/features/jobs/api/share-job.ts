import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { JobShareCreateOutput } from '@/types/openapi';

const shareJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    shareJob: build.mutation<JobShareCreateOutput, string>({
      query: (taskId) => ({ url: apiPath('/faces/tasks/{task_id}/share/', { task_id: taskId }), method: 'POST' }),
      invalidatesTags: (_result, _error, taskId) => [{ type: 'Job', id: taskId }],
    }),
  }),
});

export const { useShareJobMutation } = shareJobApi;
