import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { VisuallyHiddenInput } from '@/components/ui/visually-hidden-input';
import { useObjectUrl } from '@/hooks/use-object-url';
import { toApiError } from '@/lib/api-error';
import { isAcceptedPicture, PICTURE_ACCEPT } from '@/lib/pictures';

import { useCreateJobMutation } from '../api/create-job';

/** Pick a photo, see it, start the job; the caller decides where to show progress. */
export function PhotoForm({ templateId, onStarted }: { templateId: number; onStarted: (taskId: string) => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [photo, setPhoto] = useState<File | null>(null);
  const [notImage, setNotImage] = useState(false);
  const preview = useObjectUrl(photo);
  const [createJob, { isLoading, error }] = useCreateJobMutation();
  const apiError = toApiError(error);

  function pick(file: File | null) {
    // the server checks too; this only saves an upload that cannot work
    const ok = !file || isAcceptedPicture(file);
    setNotImage(!ok);
    setPhoto(ok ? file : null);
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!photo) return;
    try {
      const { task_id } = await createJob({ templateId, image: photo }).unwrap();
      onStarted(task_id);
    } catch {
      // shown from `error`
    }
  }

  return (
    <Stack component="form" spacing={2} onSubmit={handleSubmit} noValidate>
      {apiError && <Alert severity="error">{apiError.message}</Alert>}
      {notImage && <Alert severity="warning">{t('use.notImage')}</Alert>}
      <Box
        component="label"
        htmlFor={inputId}
        sx={{
          display: 'grid',
          placeItems: 'center',
          minHeight: 220,
          p: 2,
          border: 2,
          borderStyle: photo ? 'solid' : 'dashed',
          borderColor: photo ? 'primary.main' : 'divider',
          borderRadius: 2,
          cursor: 'pointer',
          textAlign: 'center',
          '&:focus-within': { outline: '3px solid', outlineColor: 'primary.light' },
          '&:hover': { bgcolor: 'action.hover' },
        }}
      >
        {preview ? (
          <Box component="img" src={preview} alt={t('use.previewAlt')} sx={{ maxWidth: '100%', maxHeight: 360, objectFit: 'contain', borderRadius: 1 }} />
        ) : (
          <Box>
            <Typography variant="h6" component="span" sx={{ display: 'block' }}>{t('use.choose')}</Typography>
            <Typography variant="body2" color="text.secondary">{t('use.chooseHelp')}</Typography>
          </Box>
        )}
        <VisuallyHiddenInput
          id={inputId}
          type="file"
          accept={PICTURE_ACCEPT}
          aria-label={t('use.photo')}
          onChange={(e) => pick(e.target.files?.[0] ?? null)}
        />
      </Box>
      {photo && (
        <Typography variant="body2" color="text.secondary" noWrap>
          {t('use.chosen', { name: photo.name })}
        </Typography>
      )}
      <Button type="submit" variant="contained" size="large" disabled={!photo || isLoading}>
        {isLoading ? t('use.uploading') : t('use.emojify')}
      </Button>
    </Stack>
  );
}
