import { styled } from '@mui/material/styles';

// A file input that stays in the accessibility tree (and in reach of
// Playwright's setInputFiles) while a styled <label> is what people click.
export const VisuallyHiddenInput = styled('input')({
  clip: 'rect(0 0 0 0)',
  clipPath: 'inset(50%)',
  height: 1,
  overflow: 'hidden',
  position: 'absolute',
  bottom: 0,
  left: 0,
  whiteSpace: 'nowrap',
  width: 1,
});
