import type { ChangesPage } from '../../shared/sync/schema.ts'
import type { AppContext } from '../context.ts'
import type { IoSocket } from '../realtime/handler.ts'
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

/**
 * The stream of a newly connected screen: what it missed since the seq it holds (or a snapshot), then every
 * committed change in seq order. A responder's phone that asks for no stream gets its own tasks and messages
 * only, not every change of the subdistrict (in a dispatch that is ~150 KB per phone it would throw away).
 */
export async function startStream(socket: IoSocket, ctx: AppContext, opts: { since: number | null, stream: boolean }): Promise<void> {
  const redact = !seesPersonalData(socket.data.principal)
  if (!opts.stream) {
    socket.emit('sync:changes', { changes: [], head: await ctx.store.head() })
    return
  }
  // Join first, then read: a change committed in between arrives twice (the client drops the repeat)
  // rather than not at all.
  socket.join(redact ? ROOM_REDACTED : ROOM_FULL)
  const head = await ctx.store.head()
  const { since } = opts
  if (since === null || since > head || head - since > MAX_CATCHUP) {
    socket.emit('sync:snapshot', await readSnapshot(ctx, redact))
    return
  }
  const page = await readChanges(ctx, since, MAX_CATCHUP, redact)
  if (!page.complete)
    socket.emit('sync:snapshot', await readSnapshot(ctx, redact))
  else
    socket.emit('sync:changes', { changes: page.changes, head: page.head })
}
