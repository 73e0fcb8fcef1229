import { baseApi } from '@/lib/api-client';
import { apiPath } from '@/lib/api-paths';

export type AvailabilityField = 'email' | 'alias';

const checkAvailabilityApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    checkAvailability: build.query<{ available: boolean }, { field: AvailabilityField; value: string }>({
      query: ({ field, value }) => ({ url: apiPath('/users/'), params: { case: field, value } }),
      // shown next to the field by the form, not as a toast
      extraOptions: { inlineErrors: true },
      keepUnusedDataFor: 5,
    }),
  }),
});

export const { useCheckAvailabilityQuery } = checkAvailabilityApi;
