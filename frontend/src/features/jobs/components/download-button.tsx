import Button from '@mui/material/Button';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { useAppDispatch } from '@/hooks/store';
import { notify } from '@/lib/notifications';

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * Media URLs are signed tokens without a file extension, so the browser cannot
 * name the file well: fetch it, name it after its real type, and save it. The
 * plain link stays as the fallback (no JS, or a CORS-less storage origin).
 */
export function DownloadButton({ url, baseName }: { url: string; baseName: string }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();

  async function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(String(response.status));
      const blob = await response.blob();
      const objectUrl = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = objectUrl;
      link.download = `${baseName}.${EXTENSIONS[blob.type] ?? 'png'}`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
    } catch {
      dispatch(notify({ severity: 'error', message: t('result.downloadFailed') }));
      window.open(url, '_blank', 'noopener');
    }
  }

  return (
    <Button variant="contained" component="a" href={url} download={baseName} onClick={handleClick}>
      {t('result.download')}
    </Button>
  );
}
