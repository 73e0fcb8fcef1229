import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { emotionValues, type Template } from '@/types/openapi';

/** The seven pictures of a template in a row, each captioned with its emotion. */
export function TemplatePictures({ template }: { template: Template }) {
  const { t } = useTranslation();
  return (
    <Box
      component="ul"
      aria-label={t('templates.picturesOf', { name: template.name })}
      sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 1, gridTemplateColumns: { xs: 'repeat(4, minmax(0, 1fr))', sm: 'repeat(7, minmax(0, 1fr))' } }}
    >
      {emotionValues.map((emotion) => {
        const image = template.images[emotion];
        const src = image?.cutout_url ?? image?.original_url;
        const label = t(`emotion.${emotion}`);
        return (
          <Box component="li" key={emotion} sx={{ textAlign: 'center', minWidth: 0 }}>
            {src ? (
              <Box
                component="img"
                src={src}
                alt={t('templates.pictureAlt', { name: template.name, emotion: label })}
                sx={{ width: '100%', aspectRatio: '1 / 1', objectFit: 'contain' }}
              />
            ) : (
              <Box sx={{ width: '100%', aspectRatio: '1 / 1', bgcolor: 'grey.100', borderRadius: 1 }} />
            )}
            <Typography variant="caption" component="span" noWrap sx={{ display: 'block' }} aria-hidden>
              {label}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
