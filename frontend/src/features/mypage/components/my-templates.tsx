import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { env } from '@/config/env';
import type { Template } from '@/types/openapi';

import { useGetMyUploadsQuery } from '../api/get-my-uploads';
import { PagedSection } from './paged-section';

const STATUS_COLOR = { ready: 'success', processing: 'default', failed: 'error' } as const;

/** My templates with their status; `actions` renders e.g. the delete button for each. */
export function MyTemplates({ actions }: { actions: (template: Template) => ReactNode }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pollingInterval, setPollingInterval] = useState(0);
  const query = useGetMyUploadsQuery(page, { pollingInterval });
  const { data } = query;

  // a template still being cut out is watched until it is ready or failed
  useEffect(() => {
    const processing = data?.results.some((template) => template.status === 'processing') ?? false;
    setPollingInterval(processing ? env.pollMs * 2 : 0);
  }, [data]);

  // after deleting the last one on a page, step back to a page that exists
  useEffect(() => {
    if (data && page > data.num_pages) setPage(data.num_pages);
  }, [data, page]);

  return (
    <PagedSection id="my-templates" heading={t('mypage.templates')} empty={t('mypage.noTemplates')} query={query} page={page} onPageChange={setPage}>
      {(templates) => (
        <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 1 }}>
          {templates.map((template) => (
            <Paper component="li" variant="outlined" key={template.id} sx={{ p: 1, display: 'flex', alignItems: 'center', gap: 1.5 }}>
              <Box sx={{ width: 56, height: 56, flexShrink: 0, display: 'grid', placeItems: 'center', bgcolor: 'grey.50', borderRadius: 1 }}>
                {template.preview_url ? (
                  <Box component="img" src={template.preview_url} alt={t('templates.previewAlt', { name: template.name })} sx={{ maxWidth: '100%', maxHeight: '100%' }} />
                ) : null}
              </Box>
              <Box sx={{ flexGrow: 1, minWidth: 0 }}>
                <Typography noWrap>{template.name}</Typography>
                {template.status === 'failed' && template.error ? (
                  <Typography variant="caption" color="error" sx={{ display: 'block' }}>{template.error}</Typography>
                ) : null}
              </Box>
              <Chip size="small" label={t(`mypage.templateStatus.${template.status}`)} color={STATUS_COLOR[template.status]} />
              {actions(template)}
            </Paper>
          ))}
        </Box>
      )}
    </PagedSection>
  );
}
