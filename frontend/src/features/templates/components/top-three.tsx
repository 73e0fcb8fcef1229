import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '@/components/ui/error-alert';
import type { RankingOutput } from '@/types/openapi';

import { useGetRankingQuery } from '../api/get-ranking';

const MEDALS = ['#E6B422', '#A8A9AD', '#C07A3E'] as const;
// Podium order on wide screens: 2nd, 1st, 3rd — on a phone it is a plain 1-2-3 list.
const PODIUM_ORDER = [1, 0, 2];
const PODIUM_HEIGHT = [1, 0.8, 0.65];

function PodiumPlace({ entry, rank, onUse }: { entry: RankingOutput; rank: number; onUse: (id: number, name: string) => void }) {
  const { t } = useTranslation();
  return (
    <Paper
      component="li"
      variant="outlined"
      aria-label={t('ranking.place', { rank: rank + 1, name: entry.name })}
      sx={{
        order: { xs: rank, sm: PODIUM_ORDER.indexOf(rank) },
        display: 'flex',
        flexDirection: { xs: 'row', sm: 'column' },
        alignItems: 'center',
        gap: 1.5,
        p: 1.5,
        borderTop: 6,
        borderTopColor: MEDALS[rank],
        alignSelf: 'end',
        minHeight: { sm: `${Math.round(220 * (PODIUM_HEIGHT[rank] ?? 1))}px` },
        justifyContent: { sm: 'flex-end' },
      }}
    >
      <Typography variant="h6" component="span" sx={{ color: MEDALS[rank], fontWeight: 800, minWidth: 28, textAlign: 'center' }}>
        {rank + 1}
      </Typography>
      {entry.preview_url ? (
        <Box component="img" src={entry.preview_url} alt={t('templates.previewAlt', { name: entry.name })} sx={{ width: 64, height: 64, objectFit: 'contain' }} />
      ) : null}
      <Box sx={{ minWidth: 0, flexGrow: { xs: 1, sm: 0 }, textAlign: { sm: 'center' } }}>
        <Typography variant="subtitle1" component="h3" noWrap>{entry.name}</Typography>
        <Typography variant="body2" color="text.secondary" noWrap>
          {t('templates.by', { alias: entry.owner_alias })} · {t('ranking.uses', { count: entry.count })}
        </Typography>
      </Box>
      <Button size="small" onClick={() => onUse(entry.id, entry.name)} aria-label={t('ranking.tryNamed', { name: entry.name })}>
        {t('ranking.try')}
      </Button>
    </Paper>
  );
}

export function TopThree({ onUse }: { onUse: (id: number, name: string) => void }) {
  const { t } = useTranslation();
  const { data, error, isLoading, refetch } = useGetRankingQuery();
  return (
    <Box component="section" aria-labelledby="top3-heading">
      <Typography id="top3-heading" variant="h5" component="h2">
        {t('ranking.heading')}
      </Typography>
      <Typography variant="body2" color="text.secondary" gutterBottom>
        {t('ranking.subtitle')}
      </Typography>
      {error ? (
        <ErrorAlert error={error} onRetry={refetch} />
      ) : isLoading || !data ? (
        <Skeleton variant="rounded" height={160} />
      ) : data.length === 0 ? (
        <Typography color="text.secondary">{t('ranking.empty')}</Typography>
      ) : (
        <Box
          component="ol"
          sx={{
            listStyle: 'none',
            p: 0,
            m: 0,
            display: 'grid',
            gap: 1.5,
            gridTemplateColumns: { xs: '1fr', sm: 'repeat(3, minmax(0, 1fr))' },
            alignItems: 'end',
          }}
        >
          {data.slice(0, 3).map((entry, rank) => (
            <PodiumPlace key={entry.id} entry={entry} rank={rank} onUse={onUse} />
          ))}
        </Box>
      )}
    </Box>
  );
}
