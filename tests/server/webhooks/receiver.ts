import type { Server } from 'node:http'
import type { WebhookEvent } from '../../../shared/webhooks/schema.ts'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { verifyWebhook } from '../../../shared/webhooks/signature.ts'

/** One request as the receiver saw it. */
export interface Received { eventId: string, event: WebhookEvent, signed: boolean }

/**
 * A webhook receiver on a free loopback port: records every request (duplicates too) and checks its signature.
 * `status` is what it answers; `down()` stops listening (connections refused), `up()` listens again on the port.
 */
export async function startReceiver(secret: () => string | null, opts: { delayMs?: number } = {}) {
  const received: Received[] = []
  let status = 200
  let inFlight = 0
  let server: Server
  let port = 0
  const listen = async () => {
    server = createServer((req, res) => {
      let raw = ''
      req.setEncoding('utf8')
      req.on('data', (d: string) => (raw += d))
      inFlight++
      req.on('end', async () => {
        const s = secret()
        const check = s ? await verifyWebhook(s, { timestamp: req.headers['x-onescreen-timestamp'] as string, signature: req.headers['x-onescreen-signature'] as string }, raw) : { ok: false }
        const event = JSON.parse(raw) as WebhookEvent
        const answer = () => {
          if (status >= 200 && status < 300)
            received.push({ eventId: req.headers['x-onescreen-event-id'] as string, event, signed: check.ok })
          inFlight--
          res.writeHead(status).end()
        }
        if (opts.delayMs)
          setTimeout(answer, opts.delayMs)
        else answer()
      })
    })
    server.listen(port, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as { port: number }).port
  }
  await listen()
  return {
    received,
    url: () => `http://127.0.0.1:${port}/hook`,
    answer: (s: number) => (status = s),
    /** Requests received and not answered yet. */
    inFlight: () => inFlight,
    async down() {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    },
    up: listen,
    close: () => new Promise(resolve => server.close(resolve)),
    /** Each incident's received events, in arrival order, as `action@version`. */
    byIncident(): Map<string, Received[]> {
      const out = new Map<string, Received[]>()
      for (const r of received) out.set(r.event.incident.id, [...(out.get(r.event.incident.id) ?? []), r])
      return out
    },
  }
}

/** Polls until `done` holds, or fails naming what was still missing. */
export async function waitFor(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 50))
  }
}
