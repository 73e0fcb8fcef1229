import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '@/components/ui/error-alert';
import { env } from '@/config/env';
import { baseApi } from '@/lib/api-client';
import { useAppDispatch } from '@/hooks/store';
import { emotionValues, type Template } from '@/types/openapi';

import { useGetTemplateQuery } from '../api/get-template';

/** Polls a new template until its cut-outs are made, then shows them (or why they failed). */
export function TemplateProcessing({ created }: { created: Template }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { data, error } = useGetTemplateQuery(created.id, {
    pollingInterval: env.pollMs,
    skipPollingIfUnfocused: false,
  });
  const template = data ?? created;
  const done = template.status !== 'processing';

  useEffect(() => {
    if (template.status === 'ready') {
      // it now belongs in the gallery and on my page
      dispatch(baseApi.util.invalidateTags(['TemplatePage', 'MyUploads']));
    }
  }, [template.status, dispatch]);

  if (error) return <ErrorAlert error={error} />;

  if (!done) {
    return (
      <Box role="status" aria-live="polite">
        <Typography gutterBottom>{t('create.processing')}</Typography>
        <LinearProgress aria-label={t('create.processing')} />
      </Box>
    );
  }
  if (template.status === 'failed') {
    return (
      <Alert severity="error" role="alert">
        {t('create.failed', { reason: template.error || t('create.noReason') })}
      </Alert>
    );
  }
  return (
    <Box>
      <Alert severity="success" sx={{ mb: 2 }}>
        {t('create.ready', { name: template.name })}
      </Alert>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(72px, 1fr))', gap: 1 }}>
        {emotionValues.map((emotion) => {
          const image = template.images[emotion];
          const src = image?.cutout_url ?? image?.original_url;
          return src ? (
            <Box key={emotion} component="figure" sx={{ m: 0, textAlign: 'center' }}>
              <Box component="img" src={src} alt={t('templates.pictureAlt', { name: template.name, emotion: t(`emotion.${emotion}`) })} sx={{ width: '100%', aspectRatio: '1 / 1', objectFit: 'contain' }} />
              <Typography component="figcaption" variant="caption">{t(`emotion.${emotion}`)}</Typography>
            </Box>
          ) : null;
        })}
      </Box>
    </Box>
  );
}
