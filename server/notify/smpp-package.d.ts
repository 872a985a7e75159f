// The little of the `smpp` package (no types of its own) that the SMS transport and the test SMSC use.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events'
  import type { Server as NetServer } from 'node:net'

  export interface PDU {
    command: string
    command_status: number
    sequence_number: number
    [field: string]: any
    response: (options?: Record<string, unknown>) => PDU
  }
  export class Session extends EventEmitter {
    send: (pdu: PDU) => boolean
    close: (callback?: () => void) => void
    destroy: (callback?: () => void) => void
    pause: () => void
    resume: () => void
    bind_transceiver: (options: Record<string, unknown>, callback?: (pdu: PDU) => void) => boolean
    submit_sm: (options: Record<string, unknown>, callback?: (pdu: PDU) => void) => boolean
    deliver_sm: (options: Record<string, unknown>, callback?: (pdu: PDU) => void) => boolean
    enquire_link: (options?: Record<string, unknown>, callback?: (pdu: PDU) => void) => boolean
    unbind: (options?: Record<string, unknown>, callback?: (pdu: PDU) => void) => boolean
  }
  export class Server extends NetServer {
    sessions: Session[]
  }
  export function connect(options: { url: string, auto_enquire_link_period?: number }, listener?: () => void): Session
  export function createServer(listener: (session: Session) => void): Server
  export const ESME_ROK: number
  export const ESME_RBINDFAIL: number
  export const ESME_RINVBNDSTS: number
  export const ENCODING: { UCS2: number, ASCII: number }
  export const ESM_CLASS: { MC_DELIVERY_RECEIPT: number }
  export const MESSAGE_STATE: { DELIVERED: number, UNDELIVERABLE: number }
  const smpp: {
    connect: typeof connect
    createServer: typeof createServer
    ESME_ROK: number
    ESME_RBINDFAIL: number
    ESME_RINVBNDSTS: number
    ENCODING: { UCS2: number, ASCII: number }
    ESM_CLASS: { MC_DELIVERY_RECEIPT: number }
    MESSAGE_STATE: { DELIVERED: number, UNDELIVERABLE: number }
  }
  export default smpp
}
