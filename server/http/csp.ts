import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import { setSessionCookie } from '../auth/plugin.ts'

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

/** Demo only: opening the wall (`/`) signs the browser in as the demo wall display, so a newcomer sees it at once. */
export function demoWallSignIn(ctx: AppContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'GET' || req.principal || req.url.split('?')[0] !== '/')
      return
    const token = await ctx.authStore.getMeta('demo_wall_token')
    const opened = token ? await ctx.auth.openDevice(token) : null
    if (!opened)
      return
    setSessionCookie(reply, opened.token, opened.session.expiresAt)
    req.principal = opened.principal
    req.session = opened.session
  }
}
