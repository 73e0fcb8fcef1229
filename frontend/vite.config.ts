/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dev server proxies the API to a running main_server (`make run` or
// `manage.py runserver`), so the SPA uses relative `/api/v1/...` URLs everywhere.
const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? '8000'}`;

export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.DEV_PORT ?? 18400),
    strictPort: true,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
    // One ~775 kB (243 kB gzip) chunk: react-dom, MUI, emotion, RTK Query, router,
    // i18next. Lazy pages were tried and dropped (see src/app/router.tsx).
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/testing/setup-tests.ts'],
    include: ['src/**/__tests__/**/*.test.{ts,tsx}'],
    css: false,
    // the machine is shared: a small, predictable worker pool
    maxWorkers: 1,
    // a shared 2-core machine: generous, so only real hangs time out
    testTimeout: 20000,
  },
});
