import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { JobStatus } from '@/types/openapi';

const STEPS = ['uploaded', 'pending', 'running', 'done'] as const;
const ACTIVE: Record<JobStatus, number> = { pending: 1, running: 2, done: 4, failed: 2, expired: 4 };

function useElapsedSeconds(since: string | undefined): number {
  const start = since ? Date.parse(since) : Number.NaN;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return Number.isFinite(start) ? Math.max(0, Math.round((now - start) / 1000)) : 0;
}

/** Where the job is, as it is polled: a stepper, a bar, and a sentence for screen readers. */
export function JobProgress({ status, createdAt }: { status: JobStatus; createdAt?: string }) {
  const { t } = useTranslation();
  const elapsed = useElapsedSeconds(createdAt);
  const active = ACTIVE[status];
  return (
    <Box>
      <Stepper activeStep={active} alternativeLabel sx={{ mb: 2 }}>
        {STEPS.map((step) => (
          <Step key={step}>
            <StepLabel>{t(`progress.step.${step}`)}</StepLabel>
          </Step>
        ))}
      </Stepper>
      <LinearProgress
        variant={status === 'running' ? 'indeterminate' : 'determinate'}
        value={(active / STEPS.length) * 100}
        aria-label={t('progress.label')}
      />
      <Typography role="status" aria-live="polite" variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        {t(`progress.status.${status}`)}
        {createdAt ? ` · ${t('progress.elapsed', { count: elapsed })}` : ''}
      </Typography>
    </Box>
  );
}
