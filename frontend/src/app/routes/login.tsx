import Alert from '@mui/material/Alert';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useLocation, useNavigate, useSearchParams } from 'react-router';

import { LoginForm } from '@/features/auth';
import { useAppSelector } from '@/hooks/store';
import { selectSession } from '@/lib/session';

import { AuthCard } from './auth-card';

/** Only same-site paths are followed after login (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/gallery';
}

export function LoginRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const location = useLocation();
  const { expired } = useAppSelector(selectSession);
  const registeredEmail = (location.state as { registeredEmail?: string } | null)?.registeredEmail;

  return (
    <AuthCard title={t('login.heading')}>
      {registeredEmail && <Alert severity="success" sx={{ mb: 2 }}>{t('login.registered')}</Alert>}
      {expired && !registeredEmail && <Alert severity="info" sx={{ mb: 2 }}>{t('login.expired')}</Alert>}
      <LoginForm initialEmail={registeredEmail} onLoggedIn={() => navigate(safeNext(params.get('next')), { replace: true })} />
      <Typography variant="body2" sx={{ mt: 2 }}>
        {t('login.noAccount')}{' '}
        <Link component={RouterLink} to="/register">{t('login.toRegister')}</Link>
      </Typography>
    </AuthCard>
  );
}
