import { createServer, request as httpRequest } from 'node:http'
import { connect } from 'node:net'

/**
 * A reverse proxy in front of the app that drops the browser's `Accept-Encoding`, so the app sends its build
 * uncompressed: the phones as they were served before the build was pre-compressed (#18), measured in the same
 * run as the app itself. Everything else, the socket's upgrade included, passes through untouched.
 */
export async function identityProxy(target: string): Promise<{ url: string, close: () => Promise<void> }> {
  const t = new URL(target)
  const server = createServer((req, res) => {
    const headers = { ...req.headers }
    delete headers['accept-encoding']
    const upstream = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
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
