import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '@/components/ui/error-alert';
import { env } from '@/config/env';
import { useAppDispatch } from '@/hooks/store';
import { baseApi } from '@/lib/api-client';
import type { Job } from '@/types/openapi';

import { useGetJobQuery } from '../api/get-job';
import { DownloadButton } from './download-button';
import { FaceList } from './face-list';
import { JobProgress } from './job-progress';

const isFinished = (job: Job | undefined) => job?.status === 'done' || job?.status === 'failed';


function JobResultView({ job }: { job: Job }) {
  const { t } = useTranslation();
  const result = job.result;
  if (!result) return null;
  const noFace = result.faces.length === 0;
  return (
    <Stack spacing={2}>
      {/* our own words rather than the API's `message`, so Korean users read Korean */}
      {noFace && <Alert severity="info">{t('result.noFace')}</Alert>}
      <Box
        component="img"
        src={result.image_url}
        alt={t('result.alt')}
        width={result.width}
        height={result.height}
        sx={{ width: '100%', height: 'auto', maxHeight: '70vh', objectFit: 'contain', bgcolor: 'grey.100', borderRadius: 1 }}
      />
      <Box>
        <DownloadButton url={result.image_url} baseName={`igemoji-${job.task_id.slice(0, 8)}`} />
      </Box>
      {!noFace && (
        <>
          <Typography variant="h6" component="h2">
            {t('result.facesHeading', { count: result.faces.length })}
          </Typography>
          <FaceList faces={result.faces} />
        </>
      )}
    </Stack>
  );
}

/** Polls a job until it is done or failed, showing progress, then the result. */
export function JobView({ taskId }: { taskId: string }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const [pollingInterval, setPollingInterval] = useState<number>(env.pollMs);
  const { data: job, error, refetch } = useGetJobQuery(taskId, { pollingInterval, skipPollingIfUnfocused: false });
  const finished = isFinished(job);

  useEffect(() => {
    if (!finished) return;
    setPollingInterval(0);
    if (job?.status === 'done') dispatch(baseApi.util.invalidateTags(['MyResults', 'Ranking']));
  }, [finished, job?.status, dispatch]);

  if (error && !job) return <ErrorAlert error={error} onRetry={refetch} />;
  if (!job) return <Skeleton variant="rounded" height={240} aria-label={t('common.loading')} />;

  return (
    <Stack spacing={2}>
      {error && <ErrorAlert error={error} onRetry={refetch} />}
      {job.template && (
        <Typography color="text.secondary">{t('result.withTemplate', { name: job.template.name })}</Typography>
      )}
      {!finished && (
        <>
          <JobProgress status={job.status} createdAt={job.created_at} />
          {job.input_url && (
            <Box component="img" src={job.input_url} alt={t('use.previewAlt')} sx={{ width: '100%', maxHeight: '50vh', objectFit: 'contain', opacity: 0.6, borderRadius: 1 }} />
          )}
        </>
      )}
      {job.status === 'failed' && (
        <Alert severity="error" role="alert">{t('result.failed', { reason: job.error || t('create.noReason') })}</Alert>
      )}
      {job.status === 'done' && <JobResultView job={job} />}
    </Stack>
  );
}
