import type { DutyDay, DutyEdit, DutyRoster } from '../../shared/duty/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import { daysFrom, dutyCandidates, lastResortOf, resolveEdit } from '../../shared/duty/roster.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { dayOf } from '../../shared/kernel/time.ts'
import { entity } from '../db/store.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'

/** How far ahead (and back) a roster may be written: a year either way. */
const MAX_DAYS_AWAY = 366
const DAY_MS = 86_400_000

export interface DutyDeps { store: Store, audit: Audit, reference: ReferenceData, now: () => Date }

/**
 * The duty roster (值班表): one `duty` entity per Asia/Shanghai day, edited on the desk by the commander, an
 * operator or an admin, shown in the wall's header, and asked by the notification ladder who is reached last.
 */
export function createDutyService(deps: DutyDeps) {
  const lock = new KeyedLock()

  const day = (date: string) => deps.store.getEntity('duty', date)

  return {
    /** The rostered days of `[from, from + days)` and the people who may be put on duty. */
    async roster(q: { from?: string, days?: number }): Promise<DutyRoster> {
      const wanted = new Set(daysFrom(q.from ?? dayOf(deps.now()), q.days ?? 7))
      const days = (await deps.store.listEntities('duty')).filter(d => wanted.has(d.id)).sort((a, b) => a.id.localeCompare(b.id))
      return { days, candidates: dutyCandidates(deps.reference) }
    },

    /** Sets a day's leader and operators (replacing what it had). */
    async set(call: Call, date: string, edit: DutyEdit): Promise<Result<DutyDay>> {
      const g = await deps.audit.guard(call, 'duty:edit', date)
      if (!g.ok)
        return g
      const at = deps.now()
      if (Math.abs(Date.parse(`${date}T12:00:00+08:00`) - at.getTime()) > MAX_DAYS_AWAY * DAY_MS || dayOf(Date.parse(`${date}T12:00:00+08:00`)) !== date)
        return fail('invalid', `${date} is not a day within a year of today`, 'date')
      const people = resolveEdit(deps.reference, edit)
      if ('field' in people)
        return fail('invalid', people.message, people.field)
      return lock.run(date, async () => {
        const current = await day(date)
        if (edit.version !== undefined && edit.version !== (current?.version ?? 0))
          return fail('conflict', `the roster of ${date} was changed meanwhile (version ${current?.version ?? 0}, not ${edit.version}): reload it`, 'version')
        const next: DutyDay = { id: date, version: (current?.version ?? 0) + 1, ...people, updatedAt: at.toISOString(), updatedBy: call.principal.kind === 'system' ? null : call.principal.name }
        const names = [next.leader?.name ?? '-', ...next.operators.map(o => o.name)].join(' ')
        await deps.store.commit({ mutations: [entity('duty', next, current ? 'edit' : 'create', at.toISOString())], audit: { ...g.audit, detail: names } })
        return succeed(next, { created: !current })
      })
    },

    /**
     * The escalation target of last resort at `now` (default: the clock): person ids of the day's leader, then its
     * operators; with no roster for the day (Asia/Shanghai), the people with the commander role.
     */
    async lastResort(now: Date = deps.now()): Promise<string[]> {
      return lastResortOf(await day(dayOf(now)), deps.reference)
    },
  }
}

export type DutyService = ReturnType<typeof createDutyService>
