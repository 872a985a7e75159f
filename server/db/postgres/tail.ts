import type { Change } from '../../../shared/sync/schema.ts'
import pg from 'pg'

// The change log as every node sees it. Several nodes write one tenant's log; each must tell its own listeners (the
// live stream, the caches, the webhooks' worker) every change, its own and the others', once, in seq order. The
// counter row makes seqs gap-free and visible in commit order, so reading `seq > last` never skips one. A node's own
// group is told at once when it follows what was told; otherwise (another node committed in between) the log is read
// from the last told seq. The others' commits arrive on a NOTIFY sent after each commit (a wake-up hint: some
// PostgreSQL-compatible databases lack LISTEN/NOTIFY, and a notice can be missed while reconnecting) and on a short
// poll, whichever comes first.

interface ChangeRow { seq: number, at: string, kind: Change['kind'], entity_id: string, action: string, data: string }

export const toChange = (r: ChangeRow): Change => ({ seq: r.seq, at: r.at, kind: r.kind, action: r.action, id: r.entity_id, data: JSON.parse(r.data) }) as Change

export interface TailOptions {
  pool: pg.Pool
  url: string
  schema: string
  /** Tells the store's listeners (in seq order, each change once). */
  emit: (changes: Change[]) => void
  /** How often the log is read when no notice came (ms; default 250). */
  pollMs?: number
}

const PAGE = 1000

export function createLogTail(opts: TailOptions) {
  const channel = `onescreen_log_${opts.schema}`
  /** The last seq told to the listeners; null until started (nothing before the start is told). */
  let told: number | null = null
  /** This node's committed changes not yet told (another node's change comes before them): told from here. */
  const own = new Map<number, Change>()
  let pulling: Promise<void> | null = null
  let again = false
  let timer: ReturnType<typeof setInterval> | null = null
  let listener: pg.Client | null = null
  const state = { closed: false }

  function tell(changes: Change[]): void {
    if (changes.length === 0)
      return
    told = changes.at(-1)!.seq
    opts.emit(changes)
  }

  /** Reads and tells everything after `told`, page by page; one read at a time, another after it if asked meanwhile. */
  function pull(): Promise<void> {
    if (pulling) {
      again = true
      return pulling
    }
    pulling = (async () => {
      do {
        again = false
        while (told !== null && !state.closed) {
          const rows = (await opts.pool.query<ChangeRow>('SELECT seq, at, kind, entity_id, action, data FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2', [told, PAGE])).rows
          // This node's own changes may have been told while the page was read: tell only what follows.
          const fresh = rows.filter(r => r.seq > told!)
          if (fresh.length > 0 && fresh[0]!.seq !== told + 1)
            break
          tell(fresh.map((r) => {
            const mine = own.get(r.seq)
            own.delete(r.seq)
            return mine ?? toChange(r)
          }))
          if (rows.length < PAGE)
            break
        }
      } while (again && !state.closed)
    })().catch((e: unknown) => {
      console.error('the log tail could not read the log:', e instanceof Error ? e.message : e)
    }).finally(() => {
      pulling = null
    })
    return pulling
  }

  async function listen(): Promise<void> {
    const c = new pg.Client({ connectionString: opts.url })
    c.on('error', () => {
      // The poll goes on; the next start of the listener is after the connection is gone.
      if (listener === c)
        listener = null
    })
    c.on('notification', (n) => {
      // This node's own commits (and anything already read) need no read.
      if (told === null || !(Number(n.payload) <= told))
        void pull()
    })
    try {
      await c.connect()
      await c.query(`LISTEN ${channel}`)
      if (state.closed) {
        await c.end()
        return
      }
      listener = c
    }
    catch {
      await c.end().catch(() => {})
    }
  }

  return {
    /** Starts telling from the log's head now; the poll and the listener. */
    async start(head: number): Promise<void> {
      told ??= head
      timer ??= setInterval(() => {
        if (!listener && !state.closed)
          void listen()
        void pull()
      }, opts.pollMs ?? 250)
      timer.unref()
      await listen()
    },
    /** This node's group is durable: tell it now if it follows what was told, else read the log up to it. */
    committed(changes: Change[]): void {
      if (changes.length === 0)
        return
      void opts.pool.query('SELECT pg_notify($1, $2)', [channel, String(changes.at(-1)!.seq)]).catch(() => {})
      if (told === null || changes[0]!.seq === told + 1) {
        tell(changes)
        return
      }
      for (const c of changes) {
        if (c.seq > told)
          own.set(c.seq, c)
      }
      void pull()
    },
    /** Resolves once everything committed so far is told (tests, shutdown). */
    async settle(): Promise<void> {
      await pull()
    },
    async close(): Promise<void> {
      state.closed = true
      if (timer)
        clearInterval(timer)
      await pulling
      await listener?.end().catch(() => {})
      listener = null
    },
  }
}
