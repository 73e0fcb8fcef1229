import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, Outlet, useLocation, useNavigate } from 'react-router';

import { LanguageSwitch } from '@/components/ui/language-switch';
import { Notifier } from '@/components/ui/notifier';
import { useLogoutMutation } from '@/features/auth';
import { useAppSelector } from '@/hooks/store';
import { selectIsLoggedIn, selectSession } from '@/lib/session';

import happy from '@/assets/noto/happy.png';

const navButtonSx = { color: 'inherit', minWidth: 0, px: { xs: 0.75, sm: 1.5 }, whiteSpace: 'nowrap' } as const;

function Header() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const loggedIn = useAppSelector(selectIsLoggedIn);
  const { refreshToken } = useAppSelector(selectSession);
  const [logout, { isLoading }] = useLogoutMutation();

  async function handleLogout() {
    await logout({ refreshToken });
    navigate('/');
  }

  return (
    <AppBar position="sticky" elevation={0} color="primary">
      <Container maxWidth="lg" disableGutters>
        <Toolbar sx={{ gap: { xs: 0.5, sm: 1 }, px: { xs: 1, sm: 2 } }}>
          <Box component={RouterLink} to="/" sx={{ display: 'flex', alignItems: 'center', gap: 1, color: 'inherit', textDecoration: 'none', mr: 'auto' }} aria-label={t('header.home')}>
            <Box component="img" src={happy} alt="IGEMOJI" sx={{ width: 32, height: 32 }} />
            <Typography variant="h6" component="span" sx={{ fontWeight: 800, display: { xs: 'none', sm: 'inline' } }}>
              IGEMOJI
            </Typography>
          </Box>
          <nav aria-label={t('header.nav')}>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: { xs: 0, sm: 0.5 } }}>
              {loggedIn ? (
                <>
                  <Button component={RouterLink} to="/gallery" sx={navButtonSx}>{t('header.gallery')}</Button>
                  <Button component={RouterLink} to="/me" sx={navButtonSx}>{t('header.myPage')}</Button>
                  <Button onClick={handleLogout} disabled={isLoading} sx={navButtonSx}>{t('header.logout')}</Button>
                </>
              ) : (
                <>
                  <Button component={RouterLink} to="/gallery" sx={navButtonSx}>{t('header.gallery')}</Button>
                  {pathname !== '/login' && (
                    <Button component={RouterLink} to="/login" sx={navButtonSx}>{t('header.login')}</Button>
                  )}
                </>
              )}
            </Box>
          </nav>
          <LanguageSwitch />
        </Toolbar>
      </Container>
    </AppBar>
  );
}

export function Layout() {
  const { t } = useTranslation();
  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <Header />
      <Container component="main" maxWidth="lg" sx={{ flexGrow: 1, py: { xs: 2, sm: 4 }, px: { xs: 1.5, sm: 3 } }}>
        <Outlet />
      </Container>
      <Box component="footer" sx={{ py: 2, textAlign: 'center', color: 'text.secondary', fontSize: 13 }}>
        {t('footer.text')}
      </Box>
      <Notifier />
    </Box>
  );
}
