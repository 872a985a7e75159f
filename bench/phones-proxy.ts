import type { IncomingMessage } from 'node:http'
import { createServer, request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { createGzip } from 'node:zlib'

/**
 * A reverse proxy in front of the app that gzips the build assets on the fly, as a server with compression
 * would (`@fastify/static` with `preCompressed`, or `@fastify/compress`). Everything else, the socket's
 * upgrade included, passes through untouched. The bench measures the same app through it to show what
 * compression would change on a weak cell; the app itself is not modified.
 */
export async function gzipProxy(target: string): Promise<{ url: string, close: () => Promise<void> }> {
  const t = new URL(target)
  const server = createServer((req, res) => {
    const upstream = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (up: IncomingMessage) => {
      const path = (req.url ?? '').split('?')[0]!
      const gzip = path.startsWith('/assets/') && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && !up.headers['content-encoding'] && !/woff2|png|jpe?g$/.test(path)
      const headers = { ...up.headers }
      if (gzip) {
        delete headers['content-length']
        headers['content-encoding'] = 'gzip'
        headers.vary = 'accept-encoding'
      }
      res.writeHead(up.statusCode ?? 502, headers)
      ;(gzip ? up.pipe(createGzip({ level: 9 })) : up).pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('upgrade', (req, socket, head) => {
    const up = connect(Number(t.port), t.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`), '', '']
      up.write(lines.join('\r\n'))
      up.write(head)
      up.pipe(socket).pipe(up)
    })
    up.on('error', () => socket.destroy())
    socket.on('error', () => up.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
