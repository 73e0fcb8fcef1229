import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';

import type { Job } from '@/types/openapi';

import { useGetMyResultsQuery } from '../api/get-my-results';
import { PagedSection } from './paged-section';

const gridSx = {
  listStyle: 'none',
  p: 0,
  m: 0,
  display: 'grid',
  gap: 1.5,
  gridTemplateColumns: { xs: 'repeat(2, minmax(0, 1fr))', sm: 'repeat(3, minmax(0, 1fr))', md: 'repeat(4, minmax(0, 1fr))' },
} as const;

function ResultTile({ job, resultPath }: { job: Job; resultPath: (taskId: string) => string }) {
  const { t, i18n } = useTranslation();
  const src = job.result?.image_url ?? job.input_url;
  const when = job.created_at ? new Date(job.created_at).toLocaleString(i18n.language) : '';
  const templateName = job.template?.name ?? '';
  return (
    <Card component="li" variant="outlined">
      <CardActionArea component={RouterLink} to={resultPath(job.task_id)} aria-label={t('mypage.openResult', { name: templateName, when })}>
        <Box sx={{ aspectRatio: '4 / 3', bgcolor: 'grey.100', display: 'grid', placeItems: 'center' }}>
          {src ? (
            <Box component="img" src={src} alt={t('mypage.resultAlt', { name: templateName, when })} loading="lazy" sx={{ width: '100%', height: '100%', objectFit: 'cover' }} />
          ) : job.status === 'expired' ? (
            <Typography variant="body2" color="text.secondary">{t('mypage.expiredNote')}</Typography>
          ) : null}
        </Box>
        <Box sx={{ p: 1, display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }}>
          <Typography variant="body2" noWrap sx={{ flexGrow: 1 }}>{templateName}</Typography>
          {job.rerender_of && <Chip size="small" variant="outlined" label={t('mypage.rerendered')} />}
          <Chip size="small" label={t(`mypage.status.${job.status}`)} color={job.status === 'done' ? 'success' : job.status === 'failed' ? 'error' : 'default'} />
        </Box>
      </CardActionArea>
    </Card>
  );
}

export function MyResults({ resultPath }: { resultPath: (taskId: string) => string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const query = useGetMyResultsQuery(page);
  return (
    <PagedSection id="my-results" heading={t('mypage.results')} empty={t('mypage.noResults')} query={query} page={page} onPageChange={setPage}>
      {(jobs) => (
        <Box component="ul" sx={gridSx}>
          {jobs.map((job) => (
            <ResultTile key={job.task_id} job={job} resultPath={resultPath} />
          ))}
        </Box>
      )}
    </PagedSection>
  );
}
