import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';

import { JobView } from '@/features/jobs';

export function ResultRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const taskId = useParams().taskId ?? '';
  return (
    <Stack spacing={2} sx={{ maxWidth: 900, mx: 'auto' }}>
      <Typography variant="h4" component="h1" sx={{ fontSize: { xs: 26, sm: 34 } }}>
        {t('result.heading')}
      </Typography>
      <JobView
        key={taskId}
        taskId={taskId}
        resultPath={(id) => `/results/${id}`}
        onRerendered={(id) => navigate(`/results/${id}`)}
      />
      <Stack direction="row" spacing={1} sx={{ pt: 2 }}>
        <Button component={RouterLink} to="/gallery" variant="outlined">{t('result.another')}</Button>
      </Stack>
    </Stack>
  );
}
