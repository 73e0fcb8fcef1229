import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { Provider } from 'react-redux';

import { i18n } from '@/lib/i18n';

import type { AppStore } from './store';
import { theme } from './theme';

export function AppProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return (
    <I18nextProvider i18n={i18n}>
      <Provider store={store}>
        <ThemeProvider theme={theme}>
          <CssBaseline />
          {children}
        </ThemeProvider>
      </Provider>
    </I18nextProvider>
  );
}
