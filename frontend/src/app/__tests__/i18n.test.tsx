import { screen } from '@testing-library/react';

import { i18n } from '@/lib/i18n';
import { renderApp } from '@/testing/test-utils';

describe('languages', () => {
  it('switches the whole page to Korean and remembers the choice', async () => {
    const { events } = await renderApp('/');
    expect(screen.getByRole('link', { name: 'Sign up' })).toBeInTheDocument();
    await events.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'ko');
    expect(await screen.findByRole('link', { name: '회원가입' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: '이게 이모지?' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('ko');
    expect(window.localStorage.getItem('igemoji.language')).toBe('ko');
  });

  it('has every English string in Korean too, and the other way round', async () => {
    const en = (await import('@/locales/en.json')).default;
    const ko = (await import('@/locales/ko.json')).default;
    const keys = (obj: object, prefix = ''): string[] =>
      Object.entries(obj).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    // Korean has no singular/plural forms: "_one" keys exist only in English
    const norm = (list: string[]) => [...new Set(list.map((k) => k.replace(/_(one|other)$/, '')))].sort();
    expect(norm(keys(ko))).toEqual(norm(keys(en)));
  });

  it('falls back to English for a language it does not speak', async () => {
    await i18n.changeLanguage('fr');
    await renderApp('/');
    expect(screen.getByRole('heading', { name: 'Is it emoji?' })).toBeInTheDocument();
  });
});
