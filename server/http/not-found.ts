import type { FastifyReply, FastifyRequest } from 'fastify'
import { open311NotFound } from '../open311/routes.ts'
import { notFoundHandler } from './errors.ts'

// What an unknown path answers. The API's paths are never the client's: an unknown one is a 404 in the API's error
// shape (Open311's under /open311), never the single-page app's index.html with a 200 a client would try to parse.

const API_PATH = /^\/(?:api|open311|metrics|docs|socket\.io)(?:[/?.]|$)/

export const isApiPath = (url: string) => API_PATH.test(url)

/** The not-found handler; with `spa`, a GET of any other path loads the single-page app (its client-side routes). */
export function notFound(opts: { spa: boolean }) {
  return (req: FastifyRequest, reply: FastifyReply) => {
    if (/^\/open311(?:[/?.]|$)/.test(req.url))
      return open311NotFound(req, reply)
    if (opts.spa && req.method === 'GET' && !isApiPath(req.url))
      return reply.sendFile('index.html')
    return notFoundHandler(req, reply)
  }
}
