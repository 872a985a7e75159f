import type { Result } from '../../shared/kernel/result.ts'
import type { Patrol, PatrolBody } from '../../shared/scoring/schema.ts'
import type { GridIndex } from '../../shared/territory/geo.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import type { Limits } from '../kernel/rate-limit.ts'
import { randomUUID } from 'node:crypto'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { monthOf, monthRange } from '../../shared/kernel/time.ts'
import { spend } from '../kernel/rate-limit.ts'

/** A check-in sent late from an offline phone is accepted this long after it happened. */
const LATE_MS = 7 * 24 * 3_600_000
/** A phone's clock may run this far ahead of the server's. */
const EARLY_MS = 60_000

export interface PatrolCall extends Call { opKey?: string, device?: string | null }

/** Patrol check-ins (巡查打卡): a grid worker at a point inside one of their own grids, counted in the monthly score. */
export function createPatrolService(deps: { store: Store, grids: GridIndex, audit: Audit, now: () => Date, limits?: Pick<Limits, 'actions'> }) {
  /** A retried check-in is the same one: the same place and, where it was given, the same time and note. */
  const sameRequest = (p: Patrol, body: PatrolBody) => p.location.lon === body.location.lon && p.location.lat === body.location.lat
    && (body.at === undefined || Date.parse(body.at) === Date.parse(p.at)) && (body.note ?? null) === p.note

  return {
    async checkIn(call: PatrolCall, body: PatrolBody): Promise<Result<Patrol>> {
      const grid = deps.grids.locate(body.location)
      const g = await deps.audit.guard(call, 'patrol:checkin', grid?.id ?? null)
      if (!g.ok)
        return g
      const limited = spend(deps.limits?.actions, call, 'check-ins')
      if (limited)
        return limited
      if (!grid || !call.principal.gridIds.includes(grid.id)) {
        const why = `the point is ${grid ? `in grid ${grid.id}, ` : 'outside every grid, '}not in the caller's grids`
        await deps.audit.record(call.principal, call.origin, { action: 'patrol:checkin', target: grid?.id ?? null, result: 'deny', detail: why })
        return fail('forbidden', why, 'location')
      }
      const now = deps.now()
      const at = body.at ? new Date(body.at) : now
      if (at.getTime() > now.getTime() + EARLY_MS || now.getTime() - at.getTime() > LATE_MS)
        return fail('invalid', 'at must be within the last 7 days and not in the future', 'at')
      if (await deps.store.scoring.getFrozen(monthOf(at)))
        return fail('conflict', `${monthOf(at)} is already scored and frozen; a check-in can no longer be added to it`, 'at')
      const personId = call.principal.personId ?? call.principal.id
      const patrol: Patrol = {
        id: `pt_${randomUUID()}`,
        personId,
        gridId: grid.id,
        at: at.toISOString(),
        location: { lon: body.location.lon, lat: body.location.lat },
        note: body.note ?? null,
        device: call.device ?? null,
        recordedAt: now.toISOString(),
      }
      const res = await deps.store.scoring.addPatrol(patrol, call.opKey ? `${personId}:${call.opKey}` : null, { ...g.audit, target: grid.id })
      if (res.replayed && !sameRequest(res.patrol, body))
        return fail('key_reused', 'Idempotency-Key was already used with a different check-in', 'Idempotency-Key')
      return succeed(res.patrol, { created: !res.replayed, replayed: res.replayed })
    },

    /** The caller's own check-ins in a month. */
    async mine(personId: string | null, month: string): Promise<Patrol[]> {
      const { fromIso, toIso } = monthRange(month)
      return personId ? (await deps.store.scoring.listPatrols(fromIso, toIso)).filter(x => x.personId === personId) : []
    },
  }
}

export type PatrolService = ReturnType<typeof createPatrolService>
