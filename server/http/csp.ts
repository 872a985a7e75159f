import type { AppContext } from '../context.ts'

/** A directive value helmet computes per response. */
type PerResponse = () => string

/**
 * Content-Security-Policy: scripts only from this server (no inline script), MapLibre's worker from this
 * server, no request to any other host unless an online tile source is configured: ONESCREEN_TILE_ORIGINS, plus
 * the origin of the tile service the basemap setting names at the time of each response (`live`).
 */
export function cspDirectives(ctx: AppContext, live: () => string[] = () => []): Record<string, (string | PerResponse)[] | null> {
  const fixed = ctx.config.tileOrigins
  const now: PerResponse = () => live().filter(o => !fixed.includes(o)).join(' ')
  const tiles = [...fixed, now]
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
