import '@testing-library/jest-dom/vitest';

import { cleanup } from '@testing-library/react';

import { i18n } from '@/lib/i18n';

import { resetDb } from './mocks/db';
import { server } from './mocks/server';

// Any request without a handler fails the test: nothing talks to a real network.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(async () => {
  resetDb();
  window.localStorage.clear();
  await i18n.changeLanguage('en');
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

// jsdom has no object URLs; the picked-file previews need them
if (!URL.createObjectURL) {
  let n = 0;
  URL.createObjectURL = () => `blob:http://localhost:3000/${n++}`;
  URL.revokeObjectURL = () => undefined;
}
