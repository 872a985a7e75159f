import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { Agent, createServer, request } from 'node:http'

// A small cookie-sticky reverse proxy for the local cluster (docs/cluster.md). Socket.IO's long-polling needs every
// request of one session on the node that holds it, so a client keeps its node through a cookie. No maintained
// proxy library is installed (http-proxy is unmaintained), and the piece is small: HTTP and WebSocket upgrades.

export const NODE_COOKIE = 'onescreen_node'

/** The cookie's value in a Cookie header (a node's number; @fastify/cookie's parser loads only inside Fastify). */
const NODE_VALUE = new RegExp(`(?:^|;)\\s*${NODE_COOKIE}=(\\d+)\\s*(?:;|$)`)

/** A node that refused a connection is passed over for new clients this long (then tried again). */
const DOWN_MS = 2000

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, never forwarded. */
const HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']

export interface StickyProxyOptions {
  port: number
  host?: string
  /** The nodes' base URLs (`http://127.0.0.1:3101`); the cookie names a node by its 1-based place here. */
  targets: string[]
}

export interface StickyProxy {
  url: string
  close: () => Promise<void>
}

interface Target { n: number, host: string, port: number, downUntil: number }

export async function startStickyProxy(opts: StickyProxyOptions): Promise<StickyProxy> {
  if (opts.targets.length === 0)
    throw new Error('the proxy needs at least one target')
  const targets: Target[] = opts.targets.map((t, i) => {
    const u = new URL(t)
    return { n: i + 1, host: u.hostname, port: Number(u.port || 80), downUntil: 0 }
  })
  const agent = new Agent({ keepAlive: true })
  const tunnels = new Set<Duplex>()
  let turn = 0

  /** The cookie's node, when it names one. */
  function stuck(req: IncomingMessage): Target | null {
    const n = Number(NODE_VALUE.exec(req.headers.cookie ?? '')?.[1])
    return targets.find(t => t.n === n) ?? null
  }

  /** Round robin over the nodes not known to be down (over all of them when every one is). */
  function next(except: Set<Target>): Target | null {
    const now = Date.now()
    const open = targets.filter(t => !except.has(t))
    const live = open.filter(t => t.downUntil <= now)
    const pool = live.length ? live : open
    if (!pool.length)
      return null
    return pool[turn++ % pool.length]!
  }

  function forwarded(req: IncomingMessage): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = { ...req.headers }
    for (const h of HOP)
      delete headers[h]
    const client = req.socket.remoteAddress ?? ''
    const prior = req.headers['x-forwarded-for']
    headers['x-forwarded-for'] = prior ? `${String(prior)}, ${client}` : client
    // This proxy is the edge of the local cluster: the scheme and host are what the client used here.
    headers['x-forwarded-proto'] = 'http'
    if (req.headers.host)
      headers['x-forwarded-host'] = req.headers.host
    return headers
  }

  const cookieFor = (t: Target) => `${NODE_COOKIE}=${t.n}; Path=/; HttpOnly; SameSite=Lax`

  /**
   * Opens the request on the cookie's node, or on the next one while nodes refuse the connection. The body is not
   * read until the connection stands, so a refused node costs nothing and the request goes whole to the next.
   */
  function open(req: IncomingMessage, upgrade: boolean, done: (t: Target, out: ClientRequest) => void, fail: () => void): void {
    const tried = new Set<Target>()
    const first = stuck(req)
    const attempt = (t: Target | null): void => {
      if (!t)
        return fail()
      tried.add(t)
      const headers = forwarded(req)
      if (upgrade) {
        headers.connection = 'Upgrade'
        headers.upgrade = req.headers.upgrade
      }
      const out = request({ host: t.host, port: t.port, method: req.method, path: req.url, headers, agent: upgrade ? false : agent })
      let connected = false
      out.on('socket', (s) => {
        const go = () => {
          connected = true
          t.downUntil = 0
          done(t, out)
        }
        if (s.connecting)
          s.once('connect', go)
        else
          go()
      })
      out.on('error', () => {
        if (connected)
          return
        t.downUntil = Date.now() + DOWN_MS
        attempt(next(tried))
      })
    }
    attempt(first ?? next(new Set()))
  }

  function web(req: IncomingMessage, res: ServerResponse): void {
    const had = stuck(req)
    open(req, false, (t, out) => {
      req.on('error', () => out.destroy())
      req.pipe(out)
      out.on('response', (up) => {
        const headers = responseHeaders(up.headers, had === t ? null : cookieFor(t))
        res.writeHead(up.statusCode ?? 502, up.statusMessage, headers)
        up.pipe(res)
      })
      out.on('error', () => res.headersSent ? res.destroy() : unavailable(res))
      res.on('close', () => {
        if (!res.writableFinished)
          out.destroy()
      })
    }, () => unavailable(res))
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const had = stuck(req)
    socket.on('error', () => socket.destroy())
    open(req, true, (t, out) => {
      out.end()
      out.on('upgrade', (up, upSocket, upHead) => {
        const cookie = had === t ? null : cookieFor(t)
        socket.write(statusBlock(101, up.statusMessage ?? 'Switching Protocols', up.rawHeaders, { cookie, keepHop: true }))
        if (upHead.length)
          socket.write(upHead)
        if (head.length)
          upSocket.write(head)
        tunnels.add(socket)
        socket.on('close', () => {
          tunnels.delete(socket)
          upSocket.destroy()
        })
        upSocket.on('error', () => socket.destroy())
        upSocket.on('close', () => socket.destroy())
        upSocket.pipe(socket).pipe(upSocket)
      })
      // The node refused the upgrade (a 400 from Socket.IO, say): its answer goes back, its body delimited by
      // closing the connection (the body arrives decoded, so the node's framing headers no longer apply).
      out.on('response', (up) => {
        socket.write(statusBlock(up.statusCode ?? 502, up.statusMessage ?? '', up.rawHeaders, { cookie: null, keepHop: false }))
        up.pipe(socket)
      })
      out.on('error', () => socket.destroy())
    }, () => {
      socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n')
    })
  }

  const server = createServer(web)
  server.on('upgrade', upgrade)
  const host = opts.host ?? '0.0.0.0'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : opts.port
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shown}:${port}`,
    async close() {
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      server.closeAllConnections()
      for (const s of tunnels)
        s.destroy()
      agent.destroy()
      await closed
    },
  }
}

function responseHeaders(up: IncomingHttpHeaders, cookie: string | null): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ...up }
  for (const h of HOP)
    delete headers[h]
  if (cookie) {
    const prior = up['set-cookie'] ?? []
    headers['set-cookie'] = [...prior, cookie]
  }
  return headers
}

/**
 * A raw status line and headers, for answers written straight onto an upgrade's socket. A 101 keeps its
 * Connection and Upgrade headers (they are the switch); any other answer drops hop-by-hop headers and closes.
 */
function statusBlock(status: number, message: string, raw: string[], o: { cookie: string | null, keepHop: boolean }): string {
  const lines = [`HTTP/1.1 ${status} ${message}`]
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    if (o.keepHop || (!HOP.includes(name) && name !== 'content-length'))
      lines.push(`${raw[i]}: ${raw[i + 1]}`)
  }
  if (o.cookie)
    lines.push(`Set-Cookie: ${o.cookie}`)
  if (!o.keepHop)
    lines.push('Connection: close')
  return `${lines.join('\r\n')}\r\n\r\n`
}

function unavailable(res: ServerResponse): void {
  const body = JSON.stringify({ statusCode: 502, error: 'Bad Gateway', message: '没有可用的节点 / no node is answering' })
  res.writeHead(502, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}
