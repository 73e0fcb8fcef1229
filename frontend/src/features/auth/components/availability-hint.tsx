import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import type { Availability } from './use-availability';

/** Shown right under the field, and announced politely to screen readers. */
export function AvailabilityHint({ availability, takenKey }: { availability: Availability; takenKey: string }) {
  const { t } = useTranslation();
  let content: React.ReactNode = null;
  switch (availability.state) {
    case 'checking':
      content = (
        <Stack direction="row" spacing={1} alignItems="center">
          <CircularProgress size={12} aria-hidden />
          <span>{t('register.checking')}</span>
        </Stack>
      );
      break;
    case 'available':
      content = <Typography variant="caption" color="success.main">{t('register.available')}</Typography>;
      break;
    case 'taken':
      content = <Typography variant="caption" color="error">{t(takenKey)}</Typography>;
      break;
    case 'error':
      content = <Typography variant="caption" color="error">{availability.message}</Typography>;
      break;
    default:
      content = null;
  }
  return (
    <Typography component="span" variant="caption" role="status" aria-live="polite" sx={{ display: 'block', minHeight: 20 }}>
      {content}
    </Typography>
  );
}
