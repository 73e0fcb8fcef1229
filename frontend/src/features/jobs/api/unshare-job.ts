import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';

const unshareJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    unshareJob: build.mutation<void, string>({
      query: (taskId) => ({ url: apiPath('/faces/tasks/{task_id}/share/', { task_id: taskId }), method: 'DELETE' }),
      invalidatesTags: (_result, _error, taskId) => [{ type: 'Job', id: taskId }],
    }),
  }),
});

export const { useUnshareJobMutation } = unshareJobApi;
