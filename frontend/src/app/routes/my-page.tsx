import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { DeleteAccountButton } from '@/features/auth';

import { MyResults, MyTemplates } from '@/features/mypage';
import { DeleteTemplateButton } from '@/features/templates';
import { useAppSelector } from '@/hooks/store';
import { selectUser } from '@/lib/session';

export function MyPageRoute() {
  const { t } = useTranslation();
  const user = useAppSelector(selectUser);
  return (
    <Stack spacing={{ xs: 3, sm: 5 }}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: 1 }}>
        <Typography variant="h4" component="h1" sx={{ fontSize: { xs: 26, sm: 34 } }}>
          {t('mypage.heading', { alias: user?.alias ?? '' })}
        </Typography>
      </Stack>
      <MyResults resultPath={(taskId) => `/results/${taskId}`} />
      <MyTemplates actions={(template) => <DeleteTemplateButton template={template} />} />
      <Box component="section" aria-labelledby="account-heading">
        <Typography id="account-heading" variant="h5" component="h2" gutterBottom>
          {t('account.heading')}
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 1.5 }}>{t('account.lead')}</Typography>
        <DeleteAccountButton />
      </Box>
    </Stack>
  );
}
