import NativeSelect from '@mui/material/NativeSelect';
import { useTranslation } from 'react-i18next';

import { chooseLanguage, LANGUAGES, type LanguageCode } from '@/lib/i18n';

// A native <select>: one tap on a phone, and a plain accessible name everywhere.
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = (i18n.resolvedLanguage ?? 'en') as LanguageCode;
  return (
    <NativeSelect
      value={current}
      onChange={(e) => chooseLanguage(e.target.value as LanguageCode)}
      inputProps={{ 'aria-label': t('header.language') }}
      disableUnderline
      sx={{ fontSize: 14, color: 'inherit', '& select': { py: 0.5, pl: 0.5 }, '& svg': { color: 'inherit' } }}
    >
      {LANGUAGES.map((lang) => (
        <option key={lang.code} value={lang.code} lang={lang.code}>
          {lang.label}
        </option>
      ))}
    </NativeSelect>
  );
}
