import '@testing-library/jest-dom/vitest';

import { Blob as NodeBlob, File as NodeFile } from 'node:buffer';

import { cleanup, configure } from '@testing-library/react';

import { i18n } from '@/lib/i18n';

import { resetDb } from './mocks/db';
import { server } from './mocks/server';

// the first render of a page makes Vite transform its modules; on a busy machine
// that can take seconds, so findBy* wait up to 5 s (a real hang still fails)
configure({ asyncUtilTimeout: 5000 });

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

// jsdom's File/FormData are not what Node's fetch knows (a file would be sent
// as the string "[object File]"); uploads in tests use Node's own classes.
// Node's FormData class is not exported, so take it from one Node's fetch makes.
const NodeFormData = (await new Response(new URLSearchParams('a=b')).formData()).constructor;
globalThis.File = NodeFile as unknown as typeof File;
globalThis.Blob = NodeBlob as unknown as typeof Blob;
globalThis.FormData = NodeFormData as unknown as typeof FormData;

// jsdom has no object URLs; the picked-file previews need them
if (!URL.createObjectURL) {
  let n = 0;
  URL.createObjectURL = () => `blob:http://localhost:3000/${n++}`;
  URL.revokeObjectURL = () => undefined;
}
