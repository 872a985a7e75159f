// The notification ladder's channels (#17). A task or a message reaches a person through the app (the socket)
// first, then the channels below, each after its own timeout, each attempt recorded as a delivery. The ladder
// (server/notify/service.ts) decides when and whom; a channel only sends one notice and reports what became of it.

/** Where a notice can go. `app` is the open page's socket; the ladder records it but sends it through Socket.IO. */
export type ChannelName = 'app' | 'push' | 'sms' | 'robot'

/** One notice to one person on one channel: one rung of the ladder for one task or message. */
export interface Notice {
  /** The delivery's id, unique per (subject, person, rung): a channel may use it to refuse a second send. */
  deliveryId: string
  personId: string
  /** What the notice is about: the phone opens it, a tap on a link or a push action acknowledges it. */
  subject: { kind: 'task' | 'message', id: string }
  /** Short title and body, zh-CN (an SMS of one segment: keep the body under 70 characters with the link). */
  title: string
  body: string
  /** The short signed link that opens the subject and acknowledges it with one tap (absolute URL), if any. */
  link: string | null
  /** Whether the subject asks for an acknowledgement (a task, a must-acknowledge message). */
  ack: boolean
}

export type SendOutcome
  = | { status: 'sent', providerId?: string }
    | { status: 'skipped', reason: string }
    | { status: 'failed', error: string }

/** What a channel reports after the send: a receipt from the carrier or the push service, an inbound reply. */
export interface ChannelSink {
  /** The notice reached the handset (SMPP delivery receipt, the service worker's receipt) or finally failed. */
  status: (deliveryId: string, status: 'delivered' | 'failed', detail?: string) => void
  /** An SMS from a phone number (E.164 or national digits), e.g. "1" = 收到. */
  reply: (fromPhone: string, text: string) => void
}

export interface Channel {
  readonly name: Exclude<ChannelName, 'app'>
  /** Whether this person can be reached here at all (has subscribed; has a number; under the daily cap). */
  reaches: (personId: string) => boolean | Promise<boolean>
  send: (notice: Notice) => Promise<SendOutcome>
  /** Stops connections and timers (the SMPP bind, retries). */
  close?: () => Promise<void>
}
