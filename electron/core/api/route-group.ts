/**
 * The groups TwelveLabs rate-limits on their own: creating assets, reading and listing, changing
 * assets, multipart control (reports, status), asking for upload addresses, the storage that
 * takes chunk PUTs (not the API at all), and indexes (a 429 on indexing never holds uploads).
 * A 429 shuts only its own group.
 */
export type RouteGroup = 'create' | 'read' | 'write' | 'multipart' | 'urls' | 'storage' | 'indexes';

/** Every group, for a 429 that cannot be placed. */
export const ROUTE_GROUPS: readonly RouteGroup[] = [
  'create',
  'read',
  'write',
  'multipart',
  'urls',
  'storage',
  'indexes',
];

/** Which group a request belongs to, from its method and path (absolute URLs are storage). */
export function routeGroup(method: string, path: string, absolute: boolean): RouteGroup {
  if (absolute) return 'storage';
  if (path.startsWith('/indexes') || /^\/assets\/[^/]+\/indexed-assets/.test(path)) return 'indexes';
  if (path.endsWith('/presigned-urls')) return 'urls';
  if (path === '/assets/multipart-uploads') return method === 'POST' ? 'create' : 'read';
  if (path.startsWith('/assets/multipart-uploads/')) return method === 'GET' ? 'read' : 'multipart';
  if (path === '/assets' && method === 'POST') return 'create';
  return method === 'GET' ? 'read' : 'write';
}
