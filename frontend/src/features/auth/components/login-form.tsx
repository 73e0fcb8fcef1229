import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { toApiError } from '@/lib/api-error';

import { useLoginMutation } from '../api/login';

export function LoginForm({ initialEmail = '', onLoggedIn }: { initialEmail?: string; onLoggedIn: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const [login, { isLoading, error }] = useLoginMutation();
  const apiError = toApiError(error);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    try {
      await login({ email: email.trim(), password }).unwrap();
      onLoggedIn();
    } catch {
      // shown below from `error`
    }
  }

  return (
    <Stack component="form" noValidate spacing={2} onSubmit={handleSubmit} aria-label={t('login.heading')}>
      {missing && <Alert severity="warning">{t('login.missing')}</Alert>}
      {apiError && <Alert severity="error">{apiError.message}</Alert>}
      <TextField
        label={t('login.email')}
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <TextField
        label={t('login.password')}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Button type="submit" variant="contained" size="large" disabled={isLoading}>
        {t('login.submit')}
      </Button>
    </Stack>
  );
}
