import type { AppContext } from '../context.ts'

/**
 * Content-Security-Policy: scripts only from this server (no inline script), MapLibre's worker from this
 * server, no request to any other host unless an online tile source is configured.
 */
export function cspDirectives(ctx: AppContext): Record<string, string[] | null> {
  const tiles = ctx.config.tileOrigins
  return {
    'default-src': ['\'self\''],
    'script-src': ['\'self\''],
    'worker-src': ['\'self\'', 'blob:'],
    'child-src': ['\'self\'', 'blob:'],
    'img-src': ['\'self\'', 'data:', 'blob:', ...tiles],
    // Vue and MapLibre set style attributes at run time.
    'style-src': ['\'self\'', '\'unsafe-inline\''],
    'font-src': ['\'self\'', 'data:'],
    'connect-src': ['\'self\'', ...tiles],
    'media-src': ['\'self\'', 'data:', 'blob:'],
    'object-src': ['\'none\''],
    'frame-ancestors': ['\'none\''],
    'base-uri': ['\'self\''],
    'form-action': ['\'self\''],
    'upgrade-insecure-requests': null,
  }
}
