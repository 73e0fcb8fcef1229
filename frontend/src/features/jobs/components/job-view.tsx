import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';

import { ErrorAlert } from '@/components/ui/error-alert';
import { env } from '@/config/env';
import { useAppDispatch } from '@/hooks/store';
import { baseApi } from '@/lib/api-client';
import type { Emotion, FacesSummary, Job } from '@/types/openapi';

import { useGetJobQuery } from '../api/get-job';
import { useRerenderJobMutation } from '../api/rerender-job';
import { DownloadButton } from './download-button';
import { FaceList } from './face-list';
import { JobProgress } from './job-progress';
import { ShareControls } from './share-controls';

const isFinished = (job: Job | undefined) =>
  job?.status === 'done' || job?.status === 'failed' || job?.status === 'expired';

/** "5 faces: 4 happy, 1 sad" */
export function SummaryLine({ summary }: { summary: FacesSummary }) {
  const { t } = useTranslation();
  const parts = Object.entries(summary.by_emotion).map(([emotion, count]) =>
    t('result.summaryPart', { count, emotion: t(`emotion.${emotion}`) }),
  );
  return (
    <Typography data-testid="faces-summary">
      {t('result.summary', { count: summary.faces, parts: parts.join(', ') })}
    </Typography>
  );
}

function JobResultView({ job, onRerendered }: { job: Job; onRerendered?: (taskId: string) => void }) {
  const { t } = useTranslation();
  const [rerender, { isLoading: rerendering }] = useRerenderJobMutation();
  const result = job.result;
  if (!result) return null;
  const noFace = result.faces.length === 0;

  async function changeEmotion(index: number, emotion: Emotion) {
    try {
      const created = await rerender({ taskId: job.task_id, overrides: { [String(index)]: emotion } }).unwrap();
      onRerendered?.(created.task_id);
    } catch {
      // the API client shows the error
    }
  }

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
      {!noFace && <SummaryLine summary={result.summary} />}
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
        <Box>
          <DownloadButton url={result.image_url} baseName={`igemoji-${job.task_id.slice(0, 8)}`} />
        </Box>
        <Box sx={{ flexGrow: 1 }}>
          <ShareControls taskId={job.task_id} shareUrl={job.share_url} />
        </Box>
      </Stack>
      {!noFace && (
        <>
          <Typography variant="h6" component="h2">
            {t('result.facesHeading', { count: result.faces.length })}
          </Typography>
          <Typography variant="body2" color="text.secondary">{t('result.changeHelp')}</Typography>
          {rerendering && <LinearProgress aria-label={t('result.rerendering')} />}
          <FaceList faces={result.faces} onChangeEmotion={changeEmotion} busy={rerendering} />
        </>
      )}
    </Stack>
  );
}

/** Polls a job until it is done or failed, showing progress, then the result. */
export function JobView({
  taskId,
  resultPath,
  onRerendered,
}: {
  taskId: string;
  /** where another result of mine opens (the version this one was re-rendered from) */
  resultPath?: (taskId: string) => string;
  /** a re-render was started: show that new job */
  onRerendered?: (taskId: string) => void;
}) {
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
      {job.rerender_of && resultPath && (
        <Typography variant="body2">
          <Link component={RouterLink} to={resultPath(job.rerender_of)}>{t('result.earlierVersion')}</Link>
        </Typography>
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
      {job.status === 'expired' && <Alert severity="info">{t('result.expired')}</Alert>}
      {job.status === 'done' && <JobResultView key={job.task_id} job={job} onRerendered={onRerendered} />}
    </Stack>
  );
}
