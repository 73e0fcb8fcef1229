import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

import { ErrorAlert } from '@/components/ui/error-alert';
import { PagePagination } from '@/components/ui/page-pagination';
import type { JobPage, TemplatePage } from '@/types/openapi';

type QueryState<P extends JobPage | TemplatePage> = {
  data?: P;
  error?: Parameters<typeof ErrorAlert>[0]['error'];
  isLoading: boolean;
  refetch: () => void;
};

/** A heading, a paged list from the API, and what to say when it is empty. */
export function PagedSection<P extends JobPage | TemplatePage>({
  id,
  heading,
  empty,
  query,
  page,
  onPageChange,
  children,
}: {
  id: string;
  heading: string;
  empty: ReactNode;
  query: QueryState<P>;
  page: number;
  onPageChange: (page: number) => void;
  children: (items: P['results']) => ReactNode;
}) {
  const { data, error, isLoading, refetch } = query;
  return (
    <Box component="section" aria-labelledby={id}>
      <Typography id={id} variant="h5" component="h2" gutterBottom>
        {heading}
        {data ? ` (${data.count})` : ''}
      </Typography>
      {error ? (
        <ErrorAlert error={error} onRetry={refetch} />
      ) : isLoading || !data ? (
        <Skeleton variant="rounded" height={160} />
      ) : data.results.length === 0 ? (
        <Typography color="text.secondary">{empty}</Typography>
      ) : (
        children(data.results)
      )}
      <PagePagination numPages={data?.num_pages} page={page} onPageChange={onPageChange} />
    </Box>
  );
}
