import type { paths } from '@/types/openapi';

type Relative<P> = P extends `/api/v1${infer Rest}` ? Rest : never;
/** A path of the API as the schema writes it, relative to the API's base URL. */
export type ApiPath = Relative<keyof paths>;

/**
 * The URL of one of the API's paths, its `{parameters}` filled in:
 * `apiPath('/emojis/{template_id}/', { template_id: 3 })` → `/emojis/3/`.
 * Only paths the schema has compile, so the SPA cannot call one the API lacks.
 */
export function apiPath(path: ApiPath, params: Record<string, string | number> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`apiPath: ${path} needs ${name}`);
    return encodeURIComponent(String(params[name]));
  });
}
