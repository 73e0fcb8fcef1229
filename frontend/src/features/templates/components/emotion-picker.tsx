import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { VisuallyHiddenInput } from '@/components/ui/visually-hidden-input';
import { useObjectUrl } from '@/hooks/use-object-url';
import { PICTURE_ACCEPT } from '@/lib/pictures';
import type { Emotion } from '@/types/openapi';

/** One of the seven tiles: click (or drop a file on the input) to choose the picture for an emotion. */
export function EmotionPicker({
  emotion,
  file,
  missing,
  onChange,
}: {
  emotion: Emotion;
  file: File | null;
  missing: boolean;
  onChange: (file: File | null) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const preview = useObjectUrl(file);
  const emotionName = t(`emotion.${emotion}`);
  return (
    <Box
      component="label"
      htmlFor={id}
      sx={{
        position: 'relative',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        gap: 0.5,
        p: 1,
        border: 2,
        borderStyle: file ? 'solid' : 'dashed',
        borderColor: missing ? 'error.main' : file ? 'primary.main' : 'divider',
        borderRadius: 2,
        cursor: 'pointer',
        '&:focus-within': { outline: '3px solid', outlineColor: 'primary.light' },
        '&:hover': { bgcolor: 'action.hover' },
      }}
    >
      <Box sx={{ width: '100%', aspectRatio: '1 / 1', display: 'grid', placeItems: 'center' }}>
        {preview ? (
          <Box
            component="img"
            src={preview}
            alt={t('create.previewAlt', { emotion: emotionName })}
            sx={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' }}
          />
        ) : (
          <Typography variant="h4" component="span" color="text.disabled" aria-hidden>
            +
          </Typography>
        )}
      </Box>
      <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
        {emotionName}
      </Typography>
      <VisuallyHiddenInput
        id={id}
        type="file"
        accept={PICTURE_ACCEPT}
        aria-label={t('create.pickerLabel', { emotion: emotionName })}
        aria-invalid={missing}
        onChange={(e) => onChange(e.target.files?.[0] ?? null)}
      />
    </Box>
  );
}
