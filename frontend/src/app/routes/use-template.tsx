import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';

import { ErrorAlert } from '@/components/ui/error-alert';
import { PhotoForm } from '@/features/jobs';
import { TemplatePictures, useGetTemplateQuery } from '@/features/templates';

import { NotFoundRoute } from './not-found';

export function UseTemplateRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const { data: template, error, refetch } = useGetTemplateQuery(id, { skip: !valid });

  if (!valid) return <NotFoundRoute />;
  if (error) return <ErrorAlert error={error} onRetry={refetch} />;
  if (!template) return <Skeleton variant="rounded" height={320} />;

  return (
    <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
      <Box>
        <Typography variant="h4" component="h1" sx={{ fontSize: { xs: 26, sm: 34 } }}>
          {t('use.heading', { name: template.name })}
        </Typography>
        <Typography color="text.secondary" gutterBottom>
          {t('templates.by', { alias: template.owner_alias })}
        </Typography>
        <Paper variant="outlined" sx={{ p: 1.5, mt: 2 }}>
          <TemplatePictures template={template} />
        </Paper>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
          {t('use.explain')}
        </Typography>
      </Box>
      <Paper variant="outlined" sx={{ p: { xs: 1.5, sm: 3 } }}>
        {template.status === 'ready' ? (
          <PhotoForm templateId={template.id} onStarted={(taskId) => navigate(`/results/${taskId}`)} />
        ) : (
          <Alert severity={template.status === 'failed' ? 'error' : 'info'}>
            {template.status === 'failed'
              ? t('create.failed', { reason: template.error || t('create.noReason') })
              : t('use.notReady')}
          </Alert>
        )}
      </Paper>
    </Box>
  );
}
