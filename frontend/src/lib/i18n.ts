import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';

import en from '@/locales/en.json';
import ko from '@/locales/ko.json';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'ko', label: '한국어' },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]['code'];

// Only an explicit choice in the header is remembered; otherwise the browser's
// language wins every time, and anything we do not speak falls back to English.
const CHOICE_KEY = 'igemoji.language';

export const i18n = i18next.createInstance();

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, ko: { translation: ko } },
    supportedLngs: LANGUAGES.map((l) => l.code),
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: CHOICE_KEY,
      caches: [],
    },
    initAsync: false,
    showSupportNotice: false,
  });

function syncHtmlLang(lng: string): void {
  document.documentElement.lang = lng;
}
syncHtmlLang(i18n.resolvedLanguage ?? 'en');
i18n.on('languageChanged', syncHtmlLang);

export function chooseLanguage(code: LanguageCode): void {
  try {
    window.localStorage.setItem(CHOICE_KEY, code);
  } catch {
    // not remembered, still switched
  }
  void i18n.changeLanguage(code);
}
