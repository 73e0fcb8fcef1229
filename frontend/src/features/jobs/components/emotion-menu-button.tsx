import Chip from '@mui/material/Chip';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { emotionValues, type Emotion } from '@/types/openapi';

/** A face's emotion as a chip; clicking it offers the seven emotions to paste instead. */
export function EmotionMenuButton({
  faceNumber,
  emotion,
  disabled,
  onChoose,
}: {
  faceNumber: number;
  emotion: Emotion;
  disabled?: boolean;
  onChoose: (emotion: Emotion) => void;
}) {
  const { t } = useTranslation();
  const menuId = useId();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const open = Boolean(anchor);

  function choose(next: Emotion) {
    setAnchor(null);
    if (next !== emotion) onChoose(next);
  }

  return (
    <>
      <Chip
        component="button"
        clickable
        disabled={disabled}
        label={t(`emotion.${emotion}`)}
        color="primary"
        size="small"
        onClick={(event) => setAnchor(event.currentTarget)}
        aria-label={t('result.changeEmotion', { number: faceNumber })}
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : undefined}
        aria-controls={open ? menuId : undefined}
        data-testid="face-emotion"
      />
      <Menu id={menuId} anchorEl={anchor} open={open} onClose={() => setAnchor(null)}>
        {emotionValues.map((option) => (
          <MenuItem
            key={option}
            role="menuitemradio"
            aria-checked={option === emotion}
            selected={option === emotion}
            onClick={() => choose(option)}
          >
            <ListItemIcon aria-hidden sx={{ minWidth: 28 }}>{option === emotion ? '✓' : ''}</ListItemIcon>
            <ListItemText>{t(`emotion.${option}`)}</ListItemText>
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
