import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { toApiError } from '@/lib/api-error';
import type { Template } from '@/types/openapi';

import { useDeleteTemplateMutation } from '../api/delete-template';

/** Delete with a confirmation; results already made with the template keep working (soft delete). */
export function DeleteTemplateButton({ template, onDeleted }: { template: Template; onDeleted?: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [deleteTemplate, { isLoading, error, reset }] = useDeleteTemplateMutation();
  const apiError = toApiError(error);

  async function confirm() {
    try {
      await deleteTemplate(template.id).unwrap();
      setOpen(false);
      onDeleted?.();
    } catch {
      // shown in the dialog
    }
  }

  return (
    <>
      <Button color="error" size="small" onClick={() => { reset(); setOpen(true); }} aria-label={t('delete.buttonNamed', { name: template.name })}>
        {t('delete.button')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={`delete-${template.id}-title`}>
        <DialogTitle id={`delete-${template.id}-title`}>{t('delete.title', { name: template.name })}</DialogTitle>
        <DialogContent>
          <DialogContentText>{t('delete.body')}</DialogContentText>
          {apiError && <Alert severity="error" sx={{ mt: 2 }}>{apiError.message}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={isLoading}>{t('common.cancel')}</Button>
          <Button color="error" variant="contained" onClick={confirm} disabled={isLoading}>
            {t('delete.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
