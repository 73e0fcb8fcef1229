import { baseApi } from '@/lib/api-client';
import type { ShareCreated } from '@/types/api';

const shareJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    shareJob: build.mutation<ShareCreated, string>({
      query: (taskId) => ({ url: `/faces/tasks/${encodeURIComponent(taskId)}/share`, method: 'POST' }),
      invalidatesTags: (_result, _error, taskId) => [{ type: 'Job', id: taskId }],
    }),
  }),
});

export const { useShareJobMutation } = shareJobApi;
