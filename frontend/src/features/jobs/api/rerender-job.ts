import { baseApi } from '@/lib/api-client';
import type { JobCreated, RerenderInput } from '@/types/api';

const rerenderJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    rerenderJob: build.mutation<JobCreated, RerenderInput>({
      query: ({ taskId, overrides }) => ({
        url: `/faces/tasks/${encodeURIComponent(taskId)}/rerender`,
        method: 'POST',
        body: { overrides },
      }),
      invalidatesTags: ['MyResults'],
    }),
  }),
});

export const { useRerenderJobMutation } = rerenderJobApi;
