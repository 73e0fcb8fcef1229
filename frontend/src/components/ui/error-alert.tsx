import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import type { SerializedError } from '@reduxjs/toolkit';
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import { useTranslation } from 'react-i18next';

import { toApiError } from '@/lib/api-error';

/** An API error in place, with the API's own message and an optional retry. */
export function ErrorAlert({
  error,
  onRetry,
}: {
  error: FetchBaseQueryError | SerializedError | undefined;
  onRetry?: () => void;
}) {
  const { t } = useTranslation();
  const apiError = toApiError(error);
  if (!apiError) return null;
  return (
    <Alert
      severity="error"
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    >
      {apiError.message}
    </Alert>
  );
}
