import type { ChangesPage } from '../../shared/sync/schema.ts'
import type { AppContext } from '../context.ts'
import type { IoSocket } from '../realtime/handler.ts'
import type { IoServer } from '../realtime/index.ts'
import { seesPersonalData } from '../../shared/auth/authz.ts'
import { ChangesRequest } from '../../shared/sync/schema.ts'
import { ackOf } from '../http/errors.ts'
import { acked } from '../realtime/handler.ts'
import { changesFor, readChanges, readSnapshot } from './service.ts'

/** Catch-up larger than this is cheaper as a snapshot. */
const MAX_CATCHUP = 5000
/** Screens that may see personal data, and those that get it redacted. */
export const ROOM_FULL = 'live:full'
export const ROOM_REDACTED = 'live:redacted'

/** A missing range of the change log, after the client saw a gap. */
export function registerSyncHandlers(socket: IoSocket, ctx: AppContext): void {
  const origin = { via: 'socket' as const, ip: socket.handshake.address }
  socket.on('changes:fetch', acked<ChangesRequest, ChangesPage>(ChangesRequest, async req =>
    ackOf(await changesFor(ctx, { principal: socket.data.principal, origin }, req.since, req.limit))))
}

/** Screens that asked for the same catch-up in one turn of the event loop. */
interface Group { since: number | null, redact: boolean, ids: string[] }
/** Catch-up pages kept for screens asking at the same head (bounded: a page may hold MAX_CATCHUP changes). */
const KEPT_PAGES = 8

/**
 * The stream of a newly connected screen: what it missed since the seq it holds (or a snapshot), then every
 * committed change in seq order. A responder's phone that asks for no stream gets its own tasks and messages
 * only, not every change of the subdistrict (in a dispatch that is ~150 KB per phone it would throw away).
 *
 * After a restart every wall comes back at once, most holding the same seq: the screens that ask in one turn of
 * the event loop share one read and one encoding (a broadcast to their socket ids), and a page read at a head is
 * kept for the screens that ask later at the same head (the log below the head never changes).
 */
export function createStreams(io: IoServer, ctx: AppContext) {
  const groups = new Map<string, Group>()
  const pages = new Map<string, Promise<ChangesPage>>()
  let pagesHead = -1

  function page(since: number, redact: boolean, head: number): Promise<ChangesPage> {
    if (head !== pagesHead) {
      pages.clear()
      pagesHead = head
    }
    const key = `${redact}:${since}`
    let read = pages.get(key)
    if (!read) {
      read = readChanges(ctx, since, MAX_CATCHUP, redact)
      read.catch(() => pages.delete(key))
      if (pages.size >= KEPT_PAGES)
        pages.delete(pages.keys().next().value!)
      pages.set(key, read)
    }
    return read
  }

  async function deliver(g: Group): Promise<void> {
    const head = await ctx.store.head()
    if (g.since !== null && g.since <= head && head - g.since <= MAX_CATCHUP) {
      const p = await page(g.since, g.redact, head)
      if (p.complete) {
        io.to(g.ids).emit('sync:changes', { changes: p.changes, head: p.head })
        return
      }
    }
    io.to(g.ids).emit('sync:snapshot', await readSnapshot(ctx, g.redact))
  }

  function flush(): void {
    const due = [...groups.values()]
    groups.clear()
    for (const g of due) {
      deliver(g).catch((e: unknown) => {
        console.error('stream start failed:', e)
        io.in(g.ids).disconnectSockets(true)
      })
    }
  }

  return {
    async start(socket: IoSocket, opts: { since: number | null, epoch: string | null, stream: boolean }): Promise<void> {
      const redact = !seesPersonalData(socket.data.principal)
      // A seq of another epoch (the database was restored or replaced) means nothing here: the screen gets a snapshot.
      const since = opts.epoch !== null && opts.epoch !== await ctx.store.epoch() ? null : opts.since
      if (!opts.stream) {
        socket.emit('sync:changes', { changes: [], head: await ctx.store.head() })
        return
      }
      // Join first, then read: a change committed in between arrives twice (the client drops the repeat)
      // rather than not at all.
      socket.join(redact ? ROOM_REDACTED : ROOM_FULL)
      const key = `${redact}:${since}`
      const group = groups.get(key)
      if (group) {
        group.ids.push(socket.id)
        return
      }
      if (groups.size === 0)
        setImmediate(flush)
      groups.set(key, { since, redact, ids: [socket.id] })
    },
  }
}
