import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';
import type { RankingOutput } from '@/types/openapi';

const getRankingApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getRanking: build.query<RankingOutput[], void>({
      query: () => apiPath('/faces/ranking/'),
      providesTags: ['Ranking'],
      // the page shows the error in place, with a retry
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetRankingQuery } = getRankingApi;
