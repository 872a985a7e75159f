import type { PDU, Session } from 'smpp'
import { once } from 'node:events'
import smpp from 'smpp'

// A loopback SMSC (#17) on the `smpp` package's server side, for the tests, the drill and the demo without a
// gateway: it accepts binds with one system id and password, records each submitted message with its decoded text
// (concatenated parts joined), answers with a message id, sends a delivery receipt when one was asked for, and
// can send an inbound SMS from a handset number.

export interface SubmittedSms { messageId: string, to: string, from: string, text: string, at: number }

export interface TestSmsc {
  url: string
  messages: SubmittedSms[]
  /** Resolves with the first message (already received or coming) that matches, or rejects after `timeoutMs`. */
  waitFor: (match: (m: SubmittedSms) => boolean, timeoutMs?: number) => Promise<SubmittedSms>
  /** Every new message, as it arrives. */
  onMessage: (f: (m: SubmittedSms) => void) => () => void
  /** An SMS from a handset to the bound client (deliver_sm). */
  reply: (fromPhone: string, text: string) => Promise<void>
  /** Drops every connection (the client should bind again). */
  drop: () => void
  bound: () => number
  close: () => Promise<void>
}

export interface TestSmscOptions { port?: number, host?: string, systemId?: string, password?: string, receiptDelayMs?: number, shortCode?: string }

const stamp = (d: Date) => d.toISOString().replace(/\D/g, '').slice(2, 12)

export async function startTestSmsc(o: TestSmscOptions = {}): Promise<TestSmsc> {
  const systemId = o.systemId ?? 'onescreen'
  const password = o.password ?? 'test'
  const messages: SubmittedSms[] = []
  const listeners = new Set<(m: SubmittedSms) => void>()
  const sessions = new Set<Session>()
  const parts = new Map<string, string[]>()
  let seq = 0

  function record(m: SubmittedSms) {
    messages.push(m)
    listeners.forEach(f => f(m))
  }

  const server = smpp.createServer((session) => {
    let bound = false
    session.on('bind_transceiver', (pdu: PDU) => {
      if (pdu.system_id !== systemId || pdu.password !== password) {
        session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }))
        session.close()
        return
      }
      bound = true
      sessions.add(session)
      session.send(pdu.response({ system_id: 'test-smsc' }))
    })
    session.on('submit_sm', (pdu: PDU) => {
      if (!bound) {
        session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }))
        return
      }
      const messageId = `m${++seq}`
      session.send(pdu.response({ message_id: messageId }))
      const sm = pdu.short_message as { udh?: Buffer[], message: string }
      const to = String(pdu.destination_addr)
      const concat = sm.udh?.find(u => u[0] === 0x00)
      let text: string | null = sm.message
      if (concat) {
        const key = `${to}|${concat[2]}`
        const got = parts.get(key) ?? []
        got[concat[4]! - 1] = sm.message
        parts.set(key, got)
        text = got.filter(Boolean).length === concat[3] ? got.join('') : null
        if (text !== null)
          parts.delete(key)
      }
      if (text !== null)
        record({ messageId, to, from: String(pdu.source_addr), text, at: Date.now() })
      if (pdu.registered_delivery & 1) {
        const now = new Date()
        setTimeout(() => {
          if (sessions.has(session)) {
            session.deliver_sm({
              source_addr: to,
              destination_addr: String(pdu.source_addr),
              esm_class: smpp.ESM_CLASS.MC_DELIVERY_RECEIPT,
              short_message: `id:${messageId} sub:001 dlvrd:001 submit date:${stamp(now)} done date:${stamp(new Date())} stat:DELIVRD err:000 text:`,
              receipted_message_id: messageId,
              message_state: smpp.MESSAGE_STATE.DELIVERED,
            })
          }
        }, o.receiptDelayMs ?? 20).unref()
      }
    })
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()))
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response())
      session.close()
    })
    session.on('close', () => sessions.delete(session))
    session.on('error', () => sessions.delete(session))
  })
  server.listen(o.port ?? 0, o.host ?? '127.0.0.1')
  await once(server, 'listening')
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0

  const api: TestSmsc = {
    url: `smpp://${systemId}:${password}@127.0.0.1:${port}?from=${o.shortCode ?? '10690000'}`,
    messages,
    bound: () => sessions.size,
    onMessage(f) {
      listeners.add(f)
      return () => listeners.delete(f)
    },
    waitFor(match, timeoutMs = 5000) {
      const found = messages.find(match)
      if (found)
        return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined
        const off = api.onMessage((m) => {
          if (match(m)) {
            clearTimeout(timer)
            off()
            resolve(m)
          }
        })
        timer = setTimeout(() => {
          off()
          reject(new Error(`test SMSC: no matching SMS within ${timeoutMs} ms (${messages.length} received)`))
        }, timeoutMs)
      })
    },
    async reply(fromPhone, text) {
      const session = [...sessions][0]
      if (!session)
        throw new Error('test SMSC: no client is bound')
      await new Promise<void>((resolve, reject) => {
        session.deliver_sm({ source_addr: fromPhone, destination_addr: o.shortCode ?? '10690000', data_coding: smpp.ENCODING.UCS2, short_message: text }, (pdu) => {
          if (pdu.command_status === smpp.ESME_ROK)
            resolve()
          else
            reject(new Error(`deliver_sm refused (status ${pdu.command_status})`))
        })
      })
    },
    drop() {
      for (const s of sessions)
        s.destroy()
      sessions.clear()
    },
    async close() {
      for (const s of server.sessions)
        s.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
  return api
}
