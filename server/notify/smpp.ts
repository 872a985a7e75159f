import type { PDU, Session } from 'smpp'
import type { SmsEvents, SmsOut, SmsTransport } from './sms.ts'
import smpp from 'smpp'

// SMS over SMPP 3.4/5.0 (#17): one transceiver bind carries submits out and receipts and replies in. Chinese text
// goes as UCS2 (data_coding 8); a text over 70 characters is split into concatenated parts (UDH, 67 each).
// Registered delivery asks the SMSC for a receipt per part; the first part's id is the delivery's provider id.
// A dropped connection binds again with backoff; a send waits for the bind for a while, then fails.

export interface SmppOptions {
  /** smpp://system_id:password@host:port[?from=106…] (ssmpp:// for TLS). */
  url: string
  events: SmsEvents
  log?: (line: string) => void
  /** How long a send waits for a bind before it fails (ms). */
  bindWaitMs?: number
  enquireLinkMs?: number
}

const PART = 67
const SINGLE = 70

/** Splits a text into SMS parts: one when it fits 70 UCS2 characters, else parts of 67 with a concatenation UDH. */
export function smsParts(text: string, ref: number): { udh: Buffer | null, message: string }[] {
  const chars = [...text]
  if (chars.length <= SINGLE)
    return [{ udh: null, message: text }]
  const n = Math.ceil(chars.length / PART)
  return Array.from({ length: n }, (_, i) => ({
    udh: Buffer.from([0x05, 0x00, 0x03, ref & 0xFF, n, i + 1]),
    message: chars.slice(i * PART, (i + 1) * PART).join(''),
  }))
}

/** A delivery receipt's outcome from its `stat:` field (or the message_state TLV). */
export function receiptOf(pdu: PDU): { id: string, status: 'delivered' | 'failed', detail: string } | null {
  const text = typeof pdu.short_message === 'object' && pdu.short_message ? String(pdu.short_message.message ?? '') : String(pdu.short_message ?? '')
  const id = (pdu.receipted_message_id as string | undefined) ?? /\bid:(\S+)/i.exec(text)?.[1]
  const stat = /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase() ?? (pdu.message_state === smpp.MESSAGE_STATE.DELIVERED ? 'DELIVRD' : pdu.message_state !== undefined ? 'UNDELIV' : undefined)
  if (!id || !stat || stat === 'ENROUTE' || stat === 'ACCEPTD')
    return null
  return { id, status: stat === 'DELIVRD' ? 'delivered' : 'failed', detail: stat }
}

export function createSmppTransport(o: SmppOptions): SmsTransport & { bound: () => boolean } {
  const url = new URL(o.url)
  const from = url.searchParams.get('from') ?? ''
  const creds = { system_id: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
  const log = o.log ?? (() => {})
  let session: Session | null = null
  let bound = false
  let closed = false
  let backoff = 500
  let retry: NodeJS.Timeout | null = null
  let ref = 0
  const waiting = new Set<() => void>()

  function connect() {
    const s = smpp.connect({ url: `${url.protocol}//${url.host}`, auto_enquire_link_period: o.enquireLinkMs ?? 30_000 })
    session = s
    s.on('connect', () => {
      s.bind_transceiver(creds, (pdu) => {
        if (pdu.command_status !== smpp.ESME_ROK) {
          log(`SMPP bind refused (status ${pdu.command_status})`)
          s.close()
          return
        }
        bound = true
        backoff = 500
        waiting.forEach(f => f())
        waiting.clear()
      })
    })
    s.on('deliver_sm', (pdu: PDU) => {
      s.send(pdu.response())
      if (pdu.esm_class & smpp.ESM_CLASS.MC_DELIVERY_RECEIPT) {
        const r = receiptOf(pdu)
        if (r)
          o.events.receipt(r.id, r.status, r.detail)
        return
      }
      const text = typeof pdu.short_message === 'object' && pdu.short_message ? String(pdu.short_message.message ?? '') : String(pdu.message_payload?.message ?? pdu.short_message ?? '')
      o.events.reply(String(pdu.source_addr), text)
    })
    s.on('enquire_link', (pdu: PDU) => s.send(pdu.response()))
    s.on('unbind', (pdu: PDU) => {
      s.send(pdu.response())
      s.close()
    })
    s.on('error', (e: Error) => log(`SMPP connection error: ${e.message}`))
    s.on('close', () => {
      bound = false
      if (session === s)
        session = null
      if (!closed) {
        retry = setTimeout(connect, backoff)
        retry.unref()
        backoff = Math.min(30_000, backoff * 2)
      }
    })
  }
  connect()

  function whenBound(): Promise<Session> {
    if (bound && session)
      return Promise.resolve(session)
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const ready = () => {
        clearTimeout(timer)
        resolve(session!)
      }
      timer = setTimeout(() => {
        waiting.delete(ready)
        reject(new Error('SMPP gateway not bound'))
      }, o.bindWaitMs ?? 10_000)
      waiting.add(ready)
    })
  }

  function submit(s: Session, m: SmsOut, part: { udh: Buffer | null, message: string }): Promise<string> {
    return new Promise((resolve, reject) => {
      s.submit_sm({
        source_addr: from,
        destination_addr: m.phone,
        registered_delivery: 1,
        data_coding: smpp.ENCODING.UCS2,
        short_message: part.udh ? { udh: part.udh, message: part.message } : part.message,
      }, (pdu) => {
        if (pdu.command_status === smpp.ESME_ROK)
          resolve(String(pdu.message_id))
        else
          reject(new Error(`SMSC refused the message (status ${pdu.command_status})`))
      })
    })
  }

  return {
    bound: () => bound,
    async send(m) {
      const s = await whenBound()
      ref = (ref + 1) & 0xFF
      const ids: string[] = []
      for (const part of smsParts(m.text, ref))
        ids.push(await submit(s, m, part))
      return { providerId: ids[0]! }
    },
    async close() {
      closed = true
      if (retry)
        clearTimeout(retry)
      const s = session
      if (!s)
        return
      // A polite unbind, then the socket goes whatever the SMSC answers (or if it answers nothing).
      await new Promise<void>((resolve) => {
        if (!bound)
          return resolve()
        const done = setTimeout(resolve, 500)
        s.unbind({}, () => {
          clearTimeout(done)
          resolve()
        })
      })
      s.destroy()
    },
  }
}
