import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import { useTranslation } from 'react-i18next';

import { passwordStrength } from '../utils/password-strength';

const COLORS = { empty: 'inherit', weak: 'error', fair: 'warning', good: 'info', strong: 'success' } as const;

export function PasswordStrengthMeter({ password }: { password: string }) {
  const { t } = useTranslation();
  const strength = passwordStrength(password);
  if (strength.score === 0) {
    return <Typography component="span" variant="caption">{t('register.passwordRule')}</Typography>;
  }
  return (
    <Box component="span" sx={{ display: 'block' }}>
      <LinearProgress
        variant="determinate"
        value={strength.score * 25}
        color={COLORS[strength.label]}
        aria-label={t('register.strengthLabel')}
        sx={{ my: 0.5, height: 6, borderRadius: 3 }}
      />
      <Typography component="span" variant="caption" role="status" aria-live="polite">
        {t('register.strength', { level: t(`register.strengthLevel.${strength.label}`) })}
      </Typography>
    </Box>
  );
}
