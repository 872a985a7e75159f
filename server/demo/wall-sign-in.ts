import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import { setSessionCookie } from '../auth/plugin.ts'

/** Demo only: opening the wall (`/`) signs the browser in as the demo wall display, so a newcomer sees it at once. */
export function wallSignIn(ctx: AppContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'GET' || req.principal || req.url.split('?')[0] !== '/')
      return
    const token = await ctx.authStore.getMeta('demo_wall_token')
    // A store that cannot write cannot open a session: the page still loads and says it is signed out.
    const opened = token ? await ctx.auth.openDevice(token).catch(() => null) : null
    if (!opened)
      return
    setSessionCookie(reply, opened.token, opened.session.expiresAt)
    req.principal = opened.principal
    req.session = opened.session
  }
}
