// What live-latency measures against: the real app, and a bare Socket.IO server broadcasting the same payload.
import type { IncidentChange } from '../../shared/sync/schema.ts'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { Server } from 'socket.io'
import { buildApp } from '../../server/app.ts'
import { benchCall, benchContext, benchDir, now, reportBody, stampDescription, stampOf, wallCookies } from './common.ts'

export interface Target {
  url: string
  /** Session cookies for the screens (the app wants a signed-in wall; the bare server wants none). */
  cookies: string[]
  /** Submits change number i (0-based) with submit time t; the change it makes will carry seq head + i + 1. */
  submit: (i: number, t: number) => void
  /** The last seq in the log before anything is submitted (the app seeds its plan library at start). */
  head: () => Promise<number>
  /** Waits for every submission to be acknowledged; returns the last seq broadcast. */
  drain: () => Promise<number>
  close: () => Promise<void>
  errors: () => string[]
  /** Server side only: submit → the broadcast handed to every socket, ms. */
  serverSide: () => number[]
}

/** A bare Socket.IO server (no Fastify, no store): the same payload broadcast to the same room. */
export async function bareTarget(template: IncidentChange): Promise<Target> {
  const http = createServer()
  const io = new Server(http, { serveClient: false, pingInterval: 5000, pingTimeout: 4000 })
  io.on('connection', (socket) => {
    void socket.join('live')
    socket.emit('sync:changes', { changes: [], head: 0 })
  })
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  const addr = http.address()
  let last = 0
  const serverSide: number[] = []
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    cookies: [],
    submit(i, t) {
      last = i + 1
      const change: IncidentChange = { ...template, seq: i + 1, data: { ...template.data, description: stampDescription(t) } }
      io.to('live').emit('change:batch', [change])
      serverSide.push(now() - t)
    },
    drain: async () => last,
    head: async () => last,
    async close() {
      io.disconnectSockets(true)
      await io.close()
    },
    errors: () => [],
    serverSide: () => serverSide,
  }
}

/** The real app: Fastify + Socket.IO + the SQLite store with group commit, reports through the incident service. */
export async function appTarget(clients: number): Promise<Target> {
  const tmp = benchDir('live')
  const { ctx, store } = await benchContext(join(tmp.dir, 'onescreen.sqlite'))
  const { app } = await buildApp(ctx)
  // The screens are command-center walls: one session per screen.
  const cookies = await wallCookies(ctx, clients)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  const pending: Promise<void>[] = []
  const errors: string[] = []
  const serverSide: number[] = []
  // Registered after the app's own listener (buildApp), so this runs once the broadcast is written.
  store.onCommit((changes) => {
    const t = now()
    for (const c of changes) serverSide.push(t - stampOf(c))
  })
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    cookies,
    submit(i, t) {
      pending.push(ctx.incidents.report(reportBody(ctx, i, stampDescription(t)), benchCall(`bench-live:${i}`)).then((res) => {
        if (!res.ok && errors.length < 5)
          errors.push(`report ${i} refused: ${res.code} ${res.message}`)
      }, (e: unknown) => {
        if (errors.length < 5)
          errors.push(`report ${i} failed: ${String(e)}`)
      }))
    },
    async drain() {
      await Promise.all(pending)
      return store.head()
    },
    head: () => store.head(),
    async close() {
      await app.close()
      ctx.presence.close()
      await store.close()
      tmp.cleanup()
    },
    errors: () => errors,
    serverSide: () => serverSide,
  }
}
