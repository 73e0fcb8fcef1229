import { createTheme } from '@mui/material/styles';

export const theme = createTheme({
  palette: {
    primary: { main: '#6d4bd8' },
    secondary: { main: '#ffb300' },
    background: { default: '#faf8ff' },
  },
  shape: { borderRadius: 10 },
  components: {
    MuiCssBaseline: {
      styleOverrides: {
        // Korean breaks between words (spaces), not inside them
        'html[lang="ko"] body': { wordBreak: 'keep-all', overflowWrap: 'anywhere' },
      },
    },
  },
  typography: {
    fontFamily: '"Inter", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    button: { textTransform: 'none', fontWeight: 600 },
  },
});
