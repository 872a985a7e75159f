import type { Server as HttpServer } from 'node:http'
import type { StickyProxy } from '../../../server/ops/sticky-proxy.ts'
import { createServer } from 'node:http'
import { Server } from 'socket.io'
import { io as connect } from 'socket.io-client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NODE_COOKIE, startStickyProxy } from '../../../server/ops/sticky-proxy.ts'

// Three tiny nodes that answer their own name (and what reached them), each with a Socket.IO server that does too.

interface Echo { name: string, forwardedFor: string | null, proto: string | null, host: string | null, body: string }
interface Node { name: string, url: string, http: HttpServer, stop: () => Promise<void> }

async function startNode(name: string): Promise<Node> {
  const http = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d))
    req.on('end', () => {
      const echo: Echo = {
        name,
        forwardedFor: req.headers['x-forwarded-for'] as string ?? null,
        proto: req.headers['x-forwarded-proto'] as string ?? null,
        host: req.headers['x-forwarded-host'] as string ?? null,
        body,
      }
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `from_${name}=1; Path=/` })
      res.end(JSON.stringify(echo))
    })
  })
  const io = new Server(http, { transports: ['websocket'] })
  io.on('connection', socket => socket.on('name', (ack: (n: string) => void) => ack(name)))
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', () => resolve()))
  const { port } = http.address() as { port: number }
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    http,
    async stop() {
      const closed = new Promise<void>(resolve => io.close(() => resolve()))
      http.closeAllConnections()
      await closed
    },
  }
}

let nodes: Node[]
let proxy: StickyProxy

beforeEach(async () => {
  nodes = await Promise.all(['a', 'b', 'c'].map(startNode))
  proxy = await startStickyProxy({ port: 0, host: '127.0.0.1', targets: nodes.map(n => n.url) })
})

afterEach(async () => {
  await proxy.close()
  await Promise.all(nodes.map(n => n.http.listening ? n.stop() : undefined))
})

/** The node cookie set on an answer (null when none), and the whole Set-Cookie line for attribute checks. */
function nodeCookie(res: Response): { value: string, line: string } | null {
  const line = res.headers.getSetCookie().find(c => c.startsWith(`${NODE_COOKIE}=`))
  return line ? { value: line.split(';')[0]!.slice(NODE_COOKIE.length + 1), line } : null
}

async function get(cookie?: string, init: RequestInit = {}): Promise<{ echo: Echo, cookie: ReturnType<typeof nodeCookie>, res: Response }> {
  const res = await fetch(`${proxy.url}/api/who`, { ...init, headers: { ...(cookie ? { cookie: `${NODE_COOKIE}=${cookie}` } : {}), ...init.headers } })
  expect(res.status, `the proxy answered ${res.status}`).toBe(200)
  return { echo: await res.json() as Echo, cookie: nodeCookie(res), res }
}

describe('sticky proxy', () => {
  it('gives a new client a node and an HttpOnly, SameSite=Lax cookie naming it', async () => {
    const first = await get()
    expect(first.cookie, 'a new client gets the node cookie').not.toBeNull()
    const attrs = first.cookie!.line.split(';').map(s => s.trim().toLowerCase())
    expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']))
    expect(nodes[Number(first.cookie!.value) - 1]!.name, 'the cookie names the node that answered').toBe(first.echo.name)
    // The node's own cookies pass through beside the proxy's.
    expect(first.res.headers.getSetCookie()).toContain(`from_${first.echo.name}=1; Path=/`)
  })

  it('sends the next 20 requests with the cookie to the same node, without setting it again', async () => {
    const first = await get()
    const names: string[] = []
    const reset: string[] = []
    for (let i = 0; i < 20; i++) {
      const r = await get(first.cookie!.value)
      names.push(r.echo.name)
      if (r.cookie)
        reset.push(r.cookie.value)
    }
    expect(names).toEqual(Array.from({ length: 20 }, () => first.echo.name))
    expect(reset, 'a client on its live node keeps its cookie').toEqual([])
  })

  it('spreads three new clients over the three nodes', async () => {
    const seen = [await get(), await get(), await get()].map(r => r.echo.name)
    expect(seen.toSorted()).toEqual(['a', 'b', 'c'])
  })

  it('forwards a request body and the X-Forwarded headers', async () => {
    const r = await get(undefined, { method: 'POST', body: '{"hello":"上报"}', headers: { 'content-type': 'application/json' } })
    expect(r.echo.body).toBe('{"hello":"上报"}')
    expect(r.echo.forwardedFor, 'X-Forwarded-For names the client').toBe('127.0.0.1')
    expect(r.echo.proto).toBe('http')
    expect(r.echo.host).toBe(new URL(proxy.url).host)
    const behind = await get(undefined, { headers: { 'x-forwarded-for': '10.1.2.3' } })
    expect(behind.echo.forwardedFor, 'an earlier proxy\'s address is kept, this hop appended').toBe('10.1.2.3, 127.0.0.1')
  })

  it('sends a WebSocket upgrade with the cookie to the cookie\'s node', async () => {
    for (const n of ['3', '1', '2']) {
      const socket = connect(proxy.url, { transports: ['websocket'], extraHeaders: { cookie: `${NODE_COOKIE}=${n}` }, reconnection: false, forceNew: true })
      try {
        const name = await socket.timeout(5000).emitWithAck('name')
        expect(name, `cookie ${n}`).toBe(nodes[Number(n) - 1]!.name)
      }
      finally {
        socket.close()
      }
    }
  })

  it('moves the clients of a stopped node to a live one with a new cookie', async () => {
    const first = await get()
    const gone = nodes.find(n => n.name === first.echo.name)!
    await gone.stop()
    const moved = await get(first.cookie!.value)
    expect(moved.echo.name, 'a live node answers').not.toBe(gone.name)
    expect(moved.cookie, 'the cookie is reset').not.toBeNull()
    expect(nodes[Number(moved.cookie!.value) - 1]!.name, 'the new cookie names the node that answered').toBe(moved.echo.name)
    const again = await get(moved.cookie!.value)
    expect(again.echo.name, 'the client stays on its new node').toBe(moved.echo.name)
    expect(again.cookie).toBeNull()
    // A WebSocket with the old cookie is moved as well.
    const socket = connect(proxy.url, { transports: ['websocket'], extraHeaders: { cookie: `${NODE_COOKIE}=${first.cookie!.value}` }, reconnection: false, forceNew: true })
    try {
      expect(await socket.timeout(5000).emitWithAck('name')).not.toBe(gone.name)
    }
    finally {
      socket.close()
    }
  })

  it('answers 502 when no node answers', async () => {
    await Promise.all(nodes.map(n => n.stop()))
    const res = await fetch(`${proxy.url}/api/who`)
    expect(res.status).toBe(502)
    expect((await res.json() as { message: string }).message).toContain('no node is answering')
  })
})
