import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useTranslation } from 'react-i18next';

import { useAppDispatch } from '@/hooks/store';
import { notify } from '@/lib/notifications';

import { useShareJobMutation } from '../api/share-job';
import { useUnshareJobMutation } from '../api/unshare-job';

async function copyToClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no clipboard (insecure origin, permission): the link is on screen to copy by hand
  }
}

/** "Share" makes (or reuses) the public link and copies it; "Stop sharing" turns the link off. */
export function ShareControls({ taskId, shareUrl }: { taskId: string; shareUrl: string | null | undefined }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const [share, { isLoading: sharing }] = useShareJobMutation();
  const [unshare, { isLoading: unsharing }] = useUnshareJobMutation();
  const busy = sharing || unsharing;

  async function handleShare() {
    try {
      const { share_url } = await share(taskId).unwrap();
      const copied = await copyToClipboard(share_url);
      dispatch(notify({ severity: copied ? 'success' : 'info', message: t(copied ? 'share.copied' : 'share.copyByHand') }));
    } catch {
      // the API client shows the error
    }
  }

  async function handleUnshare() {
    try {
      await unshare(taskId).unwrap();
      dispatch(notify({ severity: 'success', message: t('share.stopped') }));
    } catch {
      // the API client shows the error
    }
  }

  return (
    <Stack spacing={1.5}>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', gap: 1 }}>
        <Button variant="outlined" onClick={handleShare} disabled={busy}>{t('share.share')}</Button>
        {shareUrl && (
          <Button color="warning" onClick={handleUnshare} disabled={busy}>{t('share.stop')}</Button>
        )}
      </Stack>
      {shareUrl && (
        <TextField
          label={t('share.link')}
          value={shareUrl}
          size="small"
          fullWidth
          helperText={t('share.help')}
          slotProps={{ input: { readOnly: true }, htmlInput: { onFocus: (e: { target: HTMLInputElement }) => e.target.select() } }}
        />
      )}
    </Stack>
  );
}
