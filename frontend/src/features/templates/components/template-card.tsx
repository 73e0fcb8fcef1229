import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import type { Template } from '@/types/openapi';

export function TemplateCard({ template, onUse }: { template: Template; onUse: (t: Template) => void }) {
  const { t } = useTranslation();
  return (
    <Card variant="outlined" sx={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
      <Box
        sx={{
          aspectRatio: '1 / 1',
          display: 'grid',
          placeItems: 'center',
          bgcolor: 'grey.50',
          p: 2,
        }}
      >
        {template.preview_url ? (
          <Box
            component="img"
            src={template.preview_url}
            alt={t('templates.previewAlt', { name: template.name })}
            loading="lazy"
            sx={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' }}
          />
        ) : (
          <Typography color="text.secondary">{t('templates.noPreview')}</Typography>
        )}
      </Box>
      <CardContent sx={{ flexGrow: 1, pb: 0 }}>
        <Typography variant="subtitle1" component="h3" noWrap title={template.name}>
          {template.name}
        </Typography>
        <Typography variant="body2" color="text.secondary" noWrap>
          {t('templates.by', { alias: template.owner_alias })}
        </Typography>
      </CardContent>
      <CardActions>
        <Button
          fullWidth
          variant="contained"
          onClick={() => onUse(template)}
          aria-label={t('templates.useNamed', { name: template.name })}
        >
          {t('templates.use')}
        </Button>
      </CardActions>
    </Card>
  );
}
