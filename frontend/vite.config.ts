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
    // The first load is ~710 kB minified / ~226 kB gzip (react-dom, MUI, emotion, RTK
    // Query, router, i18next); pages other than the landing are lazy chunks. A single
    // "vendor" group was tried: it pulls lazy pages' MUI parts into the first load.
    chunkSizeWarningLimit: 400,
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
