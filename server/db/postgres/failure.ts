import type { StoreProblem } from '../errors.ts'
import { StoreUnavailableError } from '../errors.ts'

// PostgreSQL's SQLSTATEs (and the driver's connection errors) for "the store cannot do this now", as opposed to a
// bug or a constraint: a full disk, a read-only server (a standby, default_transaction_read_only), a lock or
// statement timeout, the server gone or refusing connections.
const STATES: [string, StoreProblem][] = [
  ['53100', 'full'], // disk_full
  ['53200', 'full'], // out_of_memory
  ['25006', 'read_only'], // read_only_sql_transaction
  ['55P03', 'busy'], // lock_not_available
  ['57014', 'busy'], // query_canceled (statement_timeout)
  ['53300', 'busy'], // too_many_connections
  ['57P01', 'io'], // admin_shutdown
  ['57P02', 'io'], // crash_shutdown
  ['57P03', 'cannot_open'], // cannot_connect_now (starting up)
  ['58030', 'io'], // io_error
  ['3D000', 'cannot_open'], // invalid_catalog_name (no such database)
  ['28P01', 'cannot_open'], // invalid_password
  ['28000', 'cannot_open'], // invalid_authorization_specification
]
const CLASS_08 = 'io' as const // connection_exception
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'])

/** The store-level meaning of an error from `pg`, or null when it is something else. */
export function pgProblemOf(e: unknown): StoreUnavailableError | null {
  if (e instanceof StoreUnavailableError)
    return e
  const code = (e as { code?: unknown })?.code
  const message = (e as { message?: unknown })?.message
  if (typeof code === 'string') {
    const hit = STATES.find(([state]) => state === code)
    if (hit)
      return new StoreUnavailableError(hit[1], `${code} ${String(message)}`, { cause: e })
    if (code.startsWith('08'))
      return new StoreUnavailableError(CLASS_08, `${code} ${String(message)}`, { cause: e })
    if (NODE_CODES.has(code))
      return new StoreUnavailableError('cannot_open', `${code} ${String(message)}`, { cause: e })
  }
  if (typeof message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message))
    return new StoreUnavailableError('io', message, { cause: e })
  return null
}
