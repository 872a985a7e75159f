import type { Result } from '../../shared/kernel/result.ts'
import type { ChangesPage, Snapshot } from '../../shared/sync/schema.ts'
import type { Call } from '../audit/service.ts'
import type { AppContext } from '../context.ts'
import { seesPersonalData } from '../../shared/auth/authz.ts'
import { redactChange, redactIncident } from '../../shared/incident/privacy.ts'
import { succeed } from '../../shared/kernel/result.ts'
import { spend } from '../kernel/rate-limit.ts'

/** How far back the snapshot keeps finished incidents. */
const FINISHED_WINDOW_MS = 48 * 3600_000

/** The current state. `redact` drops personal data for screens that only show. */
export async function readSnapshot(ctx: AppContext, redact: boolean): Promise<Snapshot> {
  const now = ctx.now()
  const { seq, incidents } = await ctx.store.snapshot(new Date(now.getTime() - FINISHED_WINDOW_MS).toISOString())
  return { seq, epoch: await ctx.store.epoch(), at: now.toISOString(), incidents: redact ? incidents.map(redactIncident) : incidents, positions: ctx.presence.all() }
}

export async function readChanges(ctx: AppContext, since: number, limit: number, redact: boolean): Promise<ChangesPage> {
  const [head, tail] = [await ctx.store.head(), await ctx.store.tail()]
  // The log reaches back to `since` only if the next change after it is still stored.
  const complete = since + 1 >= tail || since >= head
  const changes = complete ? await ctx.store.changesSince(since, limit) : []
  return { changes: redact ? changes.map(redactChange) : changes, head, complete }
}

/**
 * A page of the change log for a screen that saw a gap, over HTTP or its socket: bounded, and limited per caller
 * (a page is the heaviest read there is), with personal data only for the roles that may see it.
 */
export async function changesFor(ctx: AppContext, call: Call, since: number, limit = 500): Promise<Result<ChangesPage>> {
  const limited = spend(ctx.limits.logReads, call, 'change-log pages')
  if (limited)
    return limited
  return succeed(await readChanges(ctx, since, limit, !seesPersonalData(call.principal)))
}
