import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';

import { CreateTemplateDialog, TemplateGallery, TopThree } from '@/features/templates';
import { useAppSelector } from '@/hooks/store';
import { selectIsLoggedIn } from '@/lib/session';

export function GalleryRoute() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const loggedIn = useAppSelector(selectIsLoggedIn);
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const openTemplate = (id: number) => navigate(`/templates/${id}`);

  return (
    <Stack spacing={{ xs: 3, sm: 5 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 2, justifyContent: 'space-between' }}>
        <Box>
          <Typography variant="h4" component="h1" sx={{ fontSize: { xs: 26, sm: 34 } }}>
            {t('gallery.heading')}
          </Typography>
          <Typography color="text.secondary">{t('gallery.lead')}</Typography>
        </Box>
        <Button variant="contained" color="secondary" onClick={() => (loggedIn ? setCreating(true) : navigate('/login?next=/gallery'))}>
          {t('gallery.create')}
        </Button>
      </Box>
      <TopThree onUse={openTemplate} />
      <TemplateGallery
        page={page}
        onPageChange={(next) => setParams(next === 1 ? {} : { page: String(next) })}
        onUse={(template) => openTemplate(template.id)}
      />
      {loggedIn && <CreateTemplateDialog open={creating} onClose={() => setCreating(false)} />}
    </Stack>
  );
}
