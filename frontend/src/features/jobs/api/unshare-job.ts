import { baseApi } from '@/lib/api-client';

const unshareJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    unshareJob: build.mutation<void, string>({
      query: (taskId) => ({ url: `/faces/tasks/${encodeURIComponent(taskId)}/share`, method: 'DELETE' }),
      invalidatesTags: (_result, _error, taskId) => [{ type: 'Job', id: taskId }],
    }),
  }),
});

export const { useUnshareJobMutation } = unshareJobApi;
