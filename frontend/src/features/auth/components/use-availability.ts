import { skipToken } from '@reduxjs/toolkit/query';

import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { toApiError } from '@/lib/api-error';

import { useCheckAvailabilityQuery, type AvailabilityField } from '../api/check-availability';

export type Availability =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'available' }
  | { state: 'taken' }
  | { state: 'error'; message: string };

export const AVAILABILITY_DEBOUNCE_MS = 400;

/** Ask the API whether a value is free, once the user pauses typing and the value is well-formed. */
export function useAvailability(field: AvailabilityField, value: string, wellFormed: boolean): Availability {
  const debounced = useDebouncedValue(value.trim(), AVAILABILITY_DEBOUNCE_MS);
  const settled = debounced === value.trim();
  const { data, error, isFetching } = useCheckAvailabilityQuery(
    wellFormed && debounced ? { field, value: debounced } : skipToken,
  );
  if (!wellFormed || !value.trim()) return { state: 'idle' };
  if (!settled || isFetching) return { state: 'checking' };
  if (error) return { state: 'error', message: toApiError(error)?.message ?? '' };
  if (!data) return { state: 'checking' };
  return data.available ? { state: 'available' } : { state: 'taken' };
}
