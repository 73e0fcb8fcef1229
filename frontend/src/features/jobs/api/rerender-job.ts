import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { JobRerenderInputRequest, JobRerenderOutput } from '@/types/openapi';

export type RerenderJobInput = { taskId: string } & JobRerenderInputRequest;

const rerenderJobApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    rerenderJob: build.mutation<JobRerenderOutput, RerenderJobInput>({
      query: ({ taskId, overrides }) => ({
        url: apiPath('/faces/tasks/{task_id}/rerender/', { task_id: taskId }),
        method: 'POST',
        body: { overrides } satisfies JobRerenderInputRequest,
      }),
      invalidatesTags: ['MyResults'],
    }),
  }),
});

export const { useRerenderJobMutation } = rerenderJobApi;
