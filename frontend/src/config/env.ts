// The only place that reads build-time environment. The SPA talks to the API
// with relative URLs (same origin in `make run`, nginx in deployment), so the
// defaults need no configuration at all.
function readNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  }
  return value;
}

const apiUrl = (import.meta.env.VITE_API_URL as string | undefined) ?? '/api/v1';
if (!apiUrl.startsWith('/') && !/^https?:\/\//.test(apiUrl)) {
  throw new Error(`VITE_API_URL must be a path or an http(s) URL, got "${apiUrl}"`);
}

// Absolute against the page's origin: the same request in the browser, and a
// URL that Node's fetch (unit tests) can parse.
const absoluteApiUrl = new URL(apiUrl, window.location.origin).toString().replace(/\/$/, '');

export const env = {
  apiUrl: absoluteApiUrl,
  /** How often a running job or a processing template is polled. */
  pollMs: readNumber('VITE_POLL_MS', import.meta.env.VITE_POLL_MS as string | undefined, 1000),
  pageSize: 8,
} as const;
