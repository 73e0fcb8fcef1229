import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';

import { useAppSelector } from '@/hooks/store';
import { selectIsLoggedIn } from '@/lib/session';
import { emotionValues } from '@/types/openapi';

import { NOTO } from '../noto';

function PersonIllustration({ emoji, alt }: { emoji?: string; alt: string }) {
  const { t } = useTranslation();
  // a drawn stand-in for "your photo"; with `emoji` the face is covered, as the service does
  return (
    <Box sx={{ position: 'relative', width: 150, height: 120, mx: 'auto' }} role="img" aria-label={alt}>
      <svg viewBox="0 0 150 120" width="150" height="120" aria-hidden="true">
        <rect x="1" y="1" width="148" height="118" rx="10" fill="#e8f1ff" stroke="#b8c7e6" />
        <circle cx="120" cy="26" r="10" fill="#ffd54f" />
        <path d="M40 120c0-24 16-38 35-38s35 14 35 38z" fill="#6d4bd8" />
        <circle cx="75" cy="52" r="22" fill="#f1c7a3" />
        <path d="M53 48c2-16 14-22 22-22s20 6 22 22c-8-6-14-9-22-9s-14 3-22 9z" fill="#3b2b1a" />
      </svg>
      {emoji ? (
        <Box component="img" src={emoji} alt={t('emotion.happy')} sx={{ position: 'absolute', left: 48, top: 24, width: 54, height: 54 }} />
      ) : null}
    </Box>
  );
}

function Step({ number, title, body, picture }: { number: number; title: string; body: string; picture: ReactNode }) {
  return (
    <Paper component="li" variant="outlined" sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <Box sx={{ minHeight: 120, display: 'grid', placeItems: 'center' }}>{picture}</Box>
      <Typography variant="h6" component="h3">
        <Box component="span" sx={{ color: 'primary.main', mr: 1 }}>{number}.</Box>
        {title}
      </Typography>
      <Typography color="text.secondary">{body}</Typography>
    </Paper>
  );
}

export function LandingRoute() {
  const { t } = useTranslation();
  const loggedIn = useAppSelector(selectIsLoggedIn);
  return (
    <Stack spacing={{ xs: 4, sm: 6 }}>
      <Box sx={{ textAlign: 'center', pt: { xs: 2, sm: 4 } }}>
        <Box sx={{ display: 'flex', justifyContent: 'center', gap: { xs: 0.5, sm: 1 }, mb: 2 }} aria-hidden>
          {emotionValues.map((emotion) => (
            <Box key={emotion} component="img" src={NOTO[emotion]} alt={t(`emotion.${emotion}`)} sx={{ width: { xs: 40, sm: 56 }, height: { xs: 40, sm: 56 } }} />
          ))}
        </Box>
        <Typography variant="h3" component="h1" sx={{ fontWeight: 800, fontSize: { xs: 32, sm: 48 } }}>
          {t('landing.title')}
        </Typography>
        <Typography variant="h6" component="p" color="text.secondary" sx={{ maxWidth: 640, mx: 'auto', mt: 1.5, fontWeight: 400 }}>
          {t('landing.lead')}
        </Typography>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} justifyContent="center" sx={{ mt: 3 }}>
          {loggedIn ? (
            <Button component={RouterLink} to="/gallery" variant="contained" size="large">
              {t('landing.openGallery')}
            </Button>
          ) : (
            <>
              <Button component={RouterLink} to="/register" variant="contained" size="large">
                {t('landing.signUp')}
              </Button>
              <Button component={RouterLink} to="/gallery" variant="outlined" size="large">
                {t('landing.browse')}
              </Button>
            </>
          )}
        </Stack>
      </Box>
      <Box component="section" aria-labelledby="howto-heading">
        <Typography id="howto-heading" variant="h4" component="h2" sx={{ textAlign: 'center', mb: 3, fontSize: { xs: 26, sm: 34 } }}>
          {t('landing.howTo')}
        </Typography>
        <Box component="ol" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(3, 1fr)' } }}>
          <Step
            number={1}
            title={t('landing.step1Title')}
            body={t('landing.step1Body')}
            picture={
              <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(4, 40px)', gap: 1 }} role="img" aria-label={t('landing.step1Alt')}>
                {emotionValues.map((emotion) => (
                  <Box key={emotion} component="img" src={NOTO[emotion]} alt={t(`emotion.${emotion}`)} sx={{ width: 40, height: 40 }} />
                ))}
              </Box>
            }
          />
          <Step number={2} title={t('landing.step2Title')} body={t('landing.step2Body')} picture={<PersonIllustration alt={t('landing.step2Alt')} />} />
          <Step number={3} title={t('landing.step3Title')} body={t('landing.step3Body')} picture={<PersonIllustration emoji={NOTO.happy} alt={t('landing.step3Alt')} />} />
        </Box>
      </Box>
    </Stack>
  );
}
