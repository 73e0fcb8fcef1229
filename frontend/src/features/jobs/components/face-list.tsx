import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

import { emotionValues, type Emotion, type Face } from '@/types/openapi';

import { EmotionMenuButton } from './emotion-menu-button';

function ScoreBars({ face, index }: { face: Face; index: number }) {
  const { t } = useTranslation();
  // the bar of what the models read, also when the user chose another emotion
  const read = emotionValues.reduce((best, e) => ((face.scores[e] ?? 0) > (face.scores[best] ?? 0) ? e : best));
  return (
    <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'auto 1fr 3.5em', columnGap: 1, rowGap: 0.5, alignItems: 'center' }}>
      {emotionValues.map((emotion) => {
        const score = face.scores[emotion] ?? 0;
        const percent = Math.round(score * 100);
        const label = t(`emotion.${emotion}`);
        return (
          <Box key={emotion} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="caption" color="text.secondary">
              {label}
            </Typography>
            <Box component="dd" sx={{ m: 0 }}>
              <LinearProgress
                variant="determinate"
                value={percent}
                color={emotion === read ? 'primary' : 'inherit'}
                aria-label={t('result.scoreLabel', { face: index + 1, emotion: label })}
                sx={{ height: 8, borderRadius: 4, color: emotion === read ? undefined : 'grey.400' }}
              />
            </Box>
            <Typography component="dd" variant="caption" sx={{ m: 0, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
              {percent}%
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}

/**
 * Each face found: its emotion (a button offering the seven emotions when the
 * result can be re-rendered), whether the user chose it, and all seven scores as bars.
 */
export function FaceList({
  faces,
  onChangeEmotion,
  busy,
}: {
  faces: Face[];
  onChangeEmotion?: (index: number, emotion: Emotion) => void;
  busy?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Box component="ol" aria-label={t('result.facesLabel')} sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr', sm: 'repeat(auto-fill, minmax(260px, 1fr))' } }}>
      {faces.map((face, index) => (
        <Paper component="li" variant="outlined" key={`${face.box.join(',')}-${index}`} sx={{ p: 1.5 }} data-testid="face">
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
            <Typography variant="subtitle2" component="h3">
              {t('result.face', { number: index + 1 })}
            </Typography>
            {onChangeEmotion ? (
              <EmotionMenuButton
                faceNumber={index + 1}
                emotion={face.emotion}
                disabled={busy}
                onChoose={(emotion) => onChangeEmotion(index, emotion)}
              />
            ) : (
              <Chip label={t(`emotion.${face.emotion}`)} color="primary" size="small" data-testid="face-emotion" />
            )}
            {face.overridden && (
              <Typography variant="caption" color="text.secondary">{t('result.overridden')}</Typography>
            )}
          </Box>
          <ScoreBars face={face} index={index} />
        </Paper>
      ))}
    </Box>
  );
}
