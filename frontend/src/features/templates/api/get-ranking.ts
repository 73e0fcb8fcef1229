import { baseApi } from '@/lib/api-client';
import type { RankingEntry } from '@/types/api';

const getRankingApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getRanking: build.query<RankingEntry[], void>({
      query: () => '/faces/ranking',
      providesTags: ['Ranking'],
      // the page shows the error in place, with a retry
      extraOptions: { inlineErrors: true },
    }),
  }),
});

export const { useGetRankingQuery } = getRankingApi;
