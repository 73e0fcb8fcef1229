import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { toApiError } from '@/lib/api-error';

import { useRegisterMutation } from '../api/register';
import { passwordStrength } from '../utils/password-strength';
import { AvailabilityHint } from './availability-hint';
import { PasswordStrengthMeter } from './password-strength-meter';
import { useAvailability } from './use-availability';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ALIAS_MIN = 2;
const ALIAS_MAX = 20;

const helperAsDiv = { formHelperText: { component: 'div' } } as const;

export function RegisterForm({ onRegistered }: { onRegistered: (email: string) => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [alias, setAlias] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [register, { isLoading, error }] = useRegisterMutation();

  const emailOk = EMAIL_RE.test(email.trim());
  const aliasLength = alias.trim().length;
  const aliasOk = aliasLength >= ALIAS_MIN && aliasLength <= ALIAS_MAX;
  const emailAvailability = useAvailability('email', email, emailOk);
  const aliasAvailability = useAvailability('alias', alias, aliasOk);
  const apiError = toApiError(error);

  const problems = {
    email: !emailOk ? t('register.emailInvalid') : null,
    alias: !aliasOk ? t('register.aliasLength', { min: ALIAS_MIN, max: ALIAS_MAX }) : null,
    password: passwordStrength(password).score < 2 ? t('register.passwordRule') : null,
    confirm: confirm !== password ? t('register.confirmMismatch') : null,
  };
  const fieldError = (name: keyof typeof problems, apiField: string) =>
    (submitted ? problems[name] : null) ?? apiError?.fields[apiField]?.[0] ?? null;

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (Object.values(problems).some(Boolean)) return;
    if (emailAvailability.state === 'taken' || aliasAvailability.state === 'taken') return;
    try {
      await register({ email: email.trim(), alias: alias.trim(), password }).unwrap();
      onRegistered(email.trim());
    } catch {
      // shown below from `error`
    }
  }

  const emailError = fieldError('email', 'email');
  const aliasError = fieldError('alias', 'alias');
  const passwordError = fieldError('password', 'password');
  const confirmError = submitted ? problems.confirm : null;

  return (
    <Stack component="form" noValidate spacing={2} onSubmit={handleSubmit} aria-label={t('register.heading')}>
      {apiError && <Alert severity="error">{apiError.message}</Alert>}
      <TextField
        label={t('register.email')}
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={Boolean(emailError) || emailAvailability.state === 'taken'}
        helperText={emailError ?? <AvailabilityHint availability={emailAvailability} takenKey="register.emailTaken" />}
        slotProps={helperAsDiv}
      />
      <TextField
        label={t('register.alias')}
        autoComplete="nickname"
        value={alias}
        onChange={(e) => setAlias(e.target.value)}
        error={Boolean(aliasError) || aliasAvailability.state === 'taken'}
        helperText={aliasError ?? <AvailabilityHint availability={aliasAvailability} takenKey="register.aliasTaken" />}
        slotProps={{ ...helperAsDiv, htmlInput: { maxLength: ALIAS_MAX } }}
      />
      <TextField
        label={t('register.password')}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={Boolean(passwordError)}
        helperText={passwordError ?? <PasswordStrengthMeter password={password} />}
        slotProps={helperAsDiv}
      />
      <TextField
        label={t('register.confirm')}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={Boolean(confirmError)}
        helperText={confirmError ?? ' '}
      />
      <Button type="submit" variant="contained" size="large" disabled={isLoading}>
        {t('register.submit')}
      </Button>
    </Stack>
  );
}
