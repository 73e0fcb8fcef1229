import { baseApi } from '@/lib/api-client';
import type { RankingEntry } from '@/types/api';

const getRankingApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    getRanking: build.query<RankingEntry[], void>({
      query: () => '/faces/ranking',
      providesTags: ['Ranking'],
    }),
  }),
});

export const { useGetRankingQuery } = getRankingApi;
