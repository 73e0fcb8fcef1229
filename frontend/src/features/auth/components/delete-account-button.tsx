import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useAppDispatch } from '@/hooks/store';
import { baseApi } from '@/lib/api-client';
import { toApiError } from '@/lib/api-error';
import { notify } from '@/lib/notifications';
import { accountDeleted } from '@/lib/session';

import { useDeleteAccountMutation } from '../api/delete-account';

/** "Delete my account", confirmed by typing the password; then signed out (private pages send the visitor home). */
export function DeleteAccountButton() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [deleteAccount, { isLoading, error, reset }] = useDeleteAccountMutation();
  const apiError = toApiError(error);
  const message = apiError?.code === 'wrong_password' ? t('account.wrongPassword') : apiError?.message;

  function close() {
    if (isLoading) return;
    setOpen(false);
    setPassword('');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!password) return;
    try {
      await deleteAccount({ password }).unwrap();
    } catch {
      return; // shown in the dialog; nothing was deleted
    }
    setOpen(false);
    // The account is gone, and with it every token: forget them and every cached answer.
    dispatch(accountDeleted());
    dispatch(baseApi.util.resetApiState());
    dispatch(notify({ severity: 'success', message: t('account.deleted') }));
  }

  return (
    <>
      <Button color="error" variant="outlined" onClick={() => { reset(); setOpen(true); }}>
        {t('account.delete')}
      </Button>
      <Dialog open={open} onClose={close} aria-labelledby={titleId}>
        <form onSubmit={submit} noValidate>
          <DialogTitle id={titleId}>{t('account.title')}</DialogTitle>
          <DialogContent>
            <DialogContentText>{t('account.body')}</DialogContentText>
            <TextField
              label={t('account.password')}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              helperText={t('account.passwordHelp')}
              autoFocus
              fullWidth
              margin="normal"
              required
            />
            {message && <Alert severity="error" role="alert">{message}</Alert>}
          </DialogContent>
          <DialogActions>
            <Button onClick={close} disabled={isLoading}>{t('common.cancel')}</Button>
            <Button type="submit" color="error" variant="contained" disabled={isLoading || !password}>
              {t('account.confirm')}
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
