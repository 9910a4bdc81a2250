// Which browser pages may call the API (DOCSTORE_CORS_ORIGINS): listed origins get their own origin back, others no
// CORS headers at all. Never with credentials: Docstore has no cookies, keys travel in the Authorization header, so a
// page must hold a key to use one.
import type { Plugin } from 'graphql-yoga';

/** Replaces Yoga's default CORS (which echoes any origin, with credentials); must come first among the plugins. */
export function useCors(origins: readonly string[]): Plugin {
  const allowed = (origin: string | null): origin is string =>
    origin !== null && origins.some((pattern) => originMatches(pattern, origin.toLowerCase()));
  return {
    onRequest({ request, endResponse }) {
      if (request.method !== 'OPTIONS') return;
      const origin = request.headers.get('origin');
      const headers = new Headers({ 'content-length': '0', vary: 'Origin, Access-Control-Request-Headers' });
      if (allowed(origin)) {
        headers.set('access-control-allow-origin', origin);
        headers.set('access-control-allow-methods', 'GET, POST, PUT, OPTIONS');
        const requested = request.headers.get('access-control-request-headers');
        if (requested) headers.set('access-control-allow-headers', requested);
        headers.set('access-control-max-age', '600');
      }
      endResponse(new Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      response.headers.append('vary', 'Origin');
      const origin = request.headers.get('origin');
      if (!allowed(origin)) return;
      response.headers.set('access-control-allow-origin', origin);
      response.headers.set('access-control-expose-headers', 'Retry-After');
    },
  };
}

/** `*` is any origin; `scheme://host:*` any port of that host (or none); anything else the exact origin. */
export function originMatches(pattern: string, origin: string): boolean {
  if (pattern === '*') return origin !== 'null';
  if (!pattern.endsWith(':*')) return pattern === origin;
  const base = pattern.slice(0, -2);
  return origin === base || (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1)));
}
