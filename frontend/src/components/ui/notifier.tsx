import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';

import { useAppDispatch, useAppSelector } from '@/hooks/store';
import { dismiss, selectNotifications } from '@/lib/notifications';

/** Shows queued notifications one at a time (API errors arrive here from the API client). */
export function Notifier() {
  const dispatch = useAppDispatch();
  const current = useAppSelector(selectNotifications)[0];
  return (
    <Snackbar
      key={current?.id}
      open={Boolean(current)}
      autoHideDuration={current?.severity === 'error' ? 8000 : 4000}
      onClose={(_e, reason) => {
        if (reason !== 'clickaway' && current) dispatch(dismiss(current.id));
      }}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
    >
      {current ? (
        <Alert severity={current.severity} variant="filled" onClose={() => dispatch(dismiss(current.id))} sx={{ width: '100%' }}>
          {current.message}
        </Alert>
      ) : undefined}
    </Snackbar>
  );
}
