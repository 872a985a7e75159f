import type { ChangesPage, Snapshot } from '../../shared/sync/schema.ts'
import type { AppContext } from '../context.ts'
import { redactChange, redactIncident } from '../../shared/incident/privacy.ts'

/** How far back the snapshot keeps finished incidents. */
const FINISHED_WINDOW_MS = 48 * 3600_000

/** The current state. `redact` drops personal data for screens that only show. */
export async function readSnapshot(ctx: AppContext, redact: boolean): Promise<Snapshot> {
  const now = ctx.now()
  const { seq, incidents } = await ctx.store.snapshot(new Date(now.getTime() - FINISHED_WINDOW_MS).toISOString())
  return { seq, at: now.toISOString(), incidents: redact ? incidents.map(redactIncident) : incidents, positions: ctx.presence.all() }
}

export async function readChanges(ctx: AppContext, since: number, limit: number, redact: boolean): Promise<ChangesPage> {
  const [head, tail] = [await ctx.store.head(), await ctx.store.tail()]
  // The log reaches back to `since` only if the next change after it is still stored.
  const complete = since + 1 >= tail || since >= head
  const changes = complete ? await ctx.store.changesSince(since, limit) : []
  return { changes: redact ? changes.map(redactChange) : changes, head, complete }
}
