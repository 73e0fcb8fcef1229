import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate } from 'react-router';

import { RegisterForm } from '@/features/auth';

import { AuthCard } from './auth-card';

export function RegisterRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <AuthCard title={t('register.heading')}>
      <RegisterForm onRegistered={(email) => navigate('/login', { state: { registeredEmail: email } })} />
      <Typography variant="body2" sx={{ mt: 2 }}>
        {t('register.haveAccount')}{' '}
        <Link component={RouterLink} to="/login">{t('register.toLogin')}</Link>
      </Typography>
    </AuthCard>
  );
}
