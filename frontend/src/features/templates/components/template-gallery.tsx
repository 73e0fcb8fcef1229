import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '@/components/ui/error-alert';
import { PagePagination } from '@/components/ui/page-pagination';
import { env } from '@/config/env';
import type { Template } from '@/types/openapi';

import { useGetTemplatesPageQuery } from '../api/get-templates-page';
import { TemplateCard } from './template-card';

export const cardGridSx = {
  display: 'grid',
  gap: 2,
  gridTemplateColumns: { xs: 'repeat(2, minmax(0, 1fr))', sm: 'repeat(3, minmax(0, 1fr))', md: 'repeat(4, minmax(0, 1fr))' },
} as const;

export function TemplateGallery({
  page,
  onPageChange,
  onUse,
}: {
  page: number;
  onPageChange: (page: number) => void;
  onUse: (template: Template) => void;
}) {
  const { t } = useTranslation();
  const { data, error, isLoading, isFetching, refetch } = useGetTemplatesPageQuery(page);

  if (error) return <ErrorAlert error={error} onRetry={refetch} />;

  return (
    <Box component="section" aria-labelledby="gallery-heading" aria-busy={isFetching}>
      <Typography id="gallery-heading" variant="h5" component="h2" gutterBottom>
        {t('templates.galleryHeading')}
      </Typography>
      {isLoading || !data ? (
        <Box sx={cardGridSx}>
          {Array.from({ length: env.pageSize }, (_, i) => (
            <Skeleton key={i} variant="rounded" sx={{ aspectRatio: '3 / 4', height: 'auto' }} />
          ))}
        </Box>
      ) : data.results.length === 0 ? (
        <Typography color="text.secondary">{t('templates.empty')}</Typography>
      ) : (
        <Box component="ul" sx={{ ...cardGridSx, listStyle: 'none', p: 0, m: 0 }}>
          {data.results.map((template) => (
            <li key={template.id}>
              <TemplateCard template={template} onUse={onUse} />
            </li>
          ))}
        </Box>
      )}
      <PagePagination numPages={data?.num_pages} page={page} onPageChange={onPageChange} marginTop={3} />
    </Box>
  );
}
