import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useTheme } from '@mui/material/styles';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { toApiError } from '@/lib/api-error';
import { emotionValues, type Emotion, type Template } from '@/types/openapi';

import { useCreateTemplateMutation } from '../api/create-template';
import { EmotionPicker } from './emotion-picker';
import { TemplateProcessing } from './template-processing';

const NAME_MAX = 50;
type Files = Record<Emotion, File | null>;
const noFiles = (): Files => Object.fromEntries(emotionValues.map((e) => [e, null])) as Files;

export function CreateTemplateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const fullScreen = useMediaQuery(useTheme().breakpoints.down('sm'));
  const [name, setName] = useState('');
  const [files, setFiles] = useState<Files>(noFiles);
  const [submitted, setSubmitted] = useState(false);
  const [created, setCreated] = useState<Template | null>(null);
  const [createTemplate, { isLoading, error, reset }] = useCreateTemplateMutation();
  const apiError = toApiError(error);

  const nameProblem = !name.trim() ? t('create.nameRequired') : null;
  const missing = emotionValues.filter((e) => !files[e]);

  function close() {
    setName('');
    setFiles(noFiles());
    setSubmitted(false);
    setCreated(null);
    reset();
    onClose();
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (nameProblem || missing.length > 0) return;
    try {
      const template = await createTemplate({ name: name.trim(), files: files as Record<Emotion, File> }).unwrap();
      setCreated(template);
    } catch {
      // shown from `error`
    }
  }

  return (
    <Dialog open={open} onClose={isLoading ? undefined : close} fullScreen={fullScreen} maxWidth="md" fullWidth aria-labelledby="create-template-title">
      <DialogTitle id="create-template-title">{t('create.title')}</DialogTitle>
      {created ? (
        <>
          <DialogContent>
            <TemplateProcessing created={created} />
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>{t('common.close')}</Button>
          </DialogActions>
        </>
      ) : (
        <Box component="form" noValidate onSubmit={handleSubmit} aria-labelledby="create-template-title">
          <DialogContent>
            <Typography variant="body2" color="text.secondary" gutterBottom>
              {t('create.help')}
            </Typography>
            {apiError && <Alert severity="error" sx={{ mb: 2 }}>{apiError.message}</Alert>}
            <TextField
              label={t('create.name')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              fullWidth
              margin="normal"
              error={submitted && Boolean(nameProblem)}
              helperText={(submitted && nameProblem) || apiError?.fields.name?.[0] || ' '}
              slotProps={{ htmlInput: { maxLength: NAME_MAX } }}
            />
            <Box
              sx={{
                display: 'grid',
                gap: 1.5,
                gridTemplateColumns: { xs: 'repeat(3, minmax(0, 1fr))', sm: 'repeat(4, minmax(0, 1fr))', md: 'repeat(7, minmax(0, 1fr))' },
              }}
            >
              {emotionValues.map((emotion) => (
                <EmotionPicker
                  key={emotion}
                  emotion={emotion}
                  file={files[emotion]}
                  missing={submitted && !files[emotion]}
                  onChange={(file) => setFiles((prev) => ({ ...prev, [emotion]: file }))}
                />
              ))}
            </Box>
            {submitted && missing.length > 0 && (
              <Alert severity="warning" sx={{ mt: 2 }}>
                {t('create.missing', { emotions: missing.map((e) => t(`emotion.${e}`)).join(', ') })}
              </Alert>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={close} disabled={isLoading}>{t('common.cancel')}</Button>
            <Button type="submit" variant="contained" disabled={isLoading}>
              {isLoading ? t('create.uploading') : t('create.submit')}
            </Button>
          </DialogActions>
        </Box>
      )}
    </Dialog>
  );
}
