import type { Failure, Result } from '../../shared/kernel/result.ts'
import type { Place } from '../../shared/resources/access.ts'
import type { EvacuationBody, EvacuationCheck, EvacuationTally, RegisterAnswer, RegisterImportAnswer, VulnerableBody, VulnerablePerson } from '../../shared/resources/schema.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { Operation } from '../../shared/wartime/schema.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import { randomBytes } from 'node:crypto'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { authorizeAt, placeFilter } from '../../shared/resources/access.ts'
import { tallyId, tallyOf } from '../../shared/resources/evacuation.ts'
import { entity } from '../db/store.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'
import { problemAt } from '../setup/codec/cells.ts'
import { readRegister } from './import.ts'
import { refuseOutside } from './service.ts'

export interface RegisterDeps {
  store: Store
  audit: Audit
  readonly reference: ReferenceData
  now: () => Date
  active: () => Promise<Operation | null>
}

/** The most people one import adds. */
export const REGISTER_IMPORT_MAX = 20_000

/**
 * The register of vulnerable people (#17) and the evacuation check-off. The register is personal data: its own
 * table, read with `personal:read` within the caller's territory, never in the change log. What the log carries is
 * one `evacuation` tally per grid of the operation (counts only), recomputed under a per-grid lock after each
 * check-off or register edit, so the wall's n/N follows.
 */
export function createRegisterService(deps: RegisterDeps) {
  const lock = new KeyedLock()
  const reg = deps.store.register
  const placeOf = (gridId: string): Place => ({ gridId, communityId: deps.reference.territory.grids.find(g => g.id === gridId)?.communityId ?? null })
  const who = (c: Call) => c.principal.personId ?? c.principal.id

  /** The grid's tally for the operation, committed when it changed (or when it is the first). */
  async function retally(operationId: string, gridId: string): Promise<EvacuationTally> {
    return lock.run(`evacuation:${operationId}:${gridId}`, async () => {
      const [people, checks, prior] = await Promise.all([reg.list(gridId), reg.checks(operationId, gridId), deps.store.getEntity('evacuation', tallyId(operationId, gridId))])
      const at = deps.now().toISOString()
      const next = tallyOf(operationId, gridId, people.map(p => p.id), checks, prior, at)
      if (prior && (['total', 'reached', 'evacuated', 'stays'] as const).every(k => prior[k] === next[k]))
        return prior
      await deps.store.commit({ mutations: [entity('evacuation', next, prior ? 'check' : 'open', at)] })
      return next
    })
  }

  /** When wartime starts: a tally per grid with anyone on the register, so the wall shows 0/N before the first check. */
  async function openTallies(op: Operation): Promise<void> {
    const grids = new Set((await reg.list()).map(p => p.gridId))
    for (const g of grids) await retally(op.id, g)
  }
  const opened = new Set<string>()
  deps.store.onCommit((changes) => {
    for (const c of changes) {
      if (c.kind === 'operation' && c.data.active && !opened.has(c.id)) {
        opened.add(c.id)
        void openTallies(c.data).catch(err => console.warn('[register] opening the evacuation tallies failed', err))
      }
    }
  })

  /** After a register edit during an operation: the grids it touched are counted again. */
  async function touched(...gridIds: string[]): Promise<void> {
    const op = await deps.active()
    if (op)
      await Promise.all([...new Set(gridIds)].map(g => retally(op.id, g)))
  }

  async function manage(call: Call, action: string, target: string, gridIds: string[]): Promise<Failure | null> {
    for (const g of gridIds) {
      if (!deps.reference.territory.grids.some(x => x.id === g))
        return fail('invalid', `grid ${g} does not exist`, 'gridId')
      const d = authorizeAt(call.principal, 'vulnerable:manage', placeOf(g))
      if (!d.allow)
        return refuseOutside(deps.audit, call, action, target, d.reason)
    }
    return null
  }
  const allow = (call: Call, action: string, target: string | null, detail?: string) => deps.audit.record(call.principal, call.origin, { action, target, result: 'allow', detail })

  return {
    retally,

    /** Everyone on the register within the caller's territory, with the active operation's check-offs of them. */
    async list(call: Call): Promise<Result<RegisterAnswer>> {
      const g = await deps.audit.guard(call, 'personal:read', null, { action: 'vulnerable:read', recordAllow: true })
      if (!g.ok)
        return g
      const mine = placeFilter(call.principal, 'personal:read')
      const people = (await reg.list()).filter(p => mine(placeOf(p.gridId)))
      const op = await deps.active()
      const ids = new Set(people.map(p => p.id))
      const checks = op ? (await reg.checks(op.id)).filter(c => ids.has(c.personId)) : []
      return succeed({ people, operationId: op?.id ?? null, checks })
    },

    async add(call: Call, body: VulnerableBody): Promise<Result<VulnerablePerson>> {
      const refused = await manage(call, 'vulnerable:add', body.gridId, [body.gridId])
      if (refused)
        return refused
      const person: VulnerablePerson = { id: `vp-${randomBytes(6).toString('hex')}`, ...body, updatedAt: deps.now().toISOString() }
      await reg.save([person])
      await allow(call, 'vulnerable:add', person.id)
      await touched(person.gridId)
      return succeed(person, { created: true })
    },

    async edit(call: Call, id: string, body: VulnerableBody): Promise<Result<VulnerablePerson>> {
      const held = await reg.get(id)
      if (!held)
        return fail('not_found', `no one with id ${id} is on the register`, 'id')
      const refused = await manage(call, 'vulnerable:edit', id, [held.gridId, body.gridId])
      if (refused)
        return refused
      const person: VulnerablePerson = { ...body, id, updatedAt: deps.now().toISOString() }
      await reg.save([person])
      await allow(call, 'vulnerable:edit', id)
      await touched(held.gridId, body.gridId)
      return succeed(person)
    },

    async remove(call: Call, id: string): Promise<Result<{ id: string }>> {
      const held = await reg.get(id)
      if (!held)
        return fail('not_found', `no one with id ${id} is on the register`, 'id')
      const refused = await manage(call, 'vulnerable:remove', id, [held.gridId])
      if (refused)
        return refused
      await reg.remove(id)
      await allow(call, 'vulnerable:remove', id)
      await touched(held.gridId)
      return succeed({ id })
    },

    /** An XLSX or CSV of people, all or nothing: any row with a problem (or outside the caller's grids) writes nothing. */
    async import(call: Call, file: { name: string, data: Buffer }, dryRun: boolean): Promise<Result<RegisterImportAnswer>> {
      const g = await deps.audit.guard(call, 'vulnerable:manage', null, { action: 'vulnerable:import' })
      if (!g.ok)
        return g
      const read = await readRegister(file.name, file.data, deps.reference.territory.grids)
      const mine = placeFilter(call.principal, 'vulnerable:manage')
      for (const r of read.rows) {
        if (!mine(placeOf(r.body.gridId)))
          read.problems.push(problemAt({ file: file.name }, 'outside_territory', '不在您的辖区', `grid ${r.body.gridId} is outside the caller's territory`, { row: r.row, column: '网格' }))
      }
      if (read.rows.length > REGISTER_IMPORT_MAX)
        read.problems.push(problemAt({ file: file.name }, 'too_many', `一次最多导入 ${REGISTER_IMPORT_MAX} 人`, `at most ${REGISTER_IMPORT_MAX} people per import`))
      read.problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))
      if (read.problems.length || dryRun)
        return succeed({ imported: 0, problems: read.problems })
      const at = deps.now().toISOString()
      await reg.save(read.rows.map(r => ({ id: `vp-${randomBytes(6).toString('hex')}`, ...r.body, updatedAt: at })))
      await allow(call, 'vulnerable:import', null, `${read.rows.length} people from ${file.name}`)
      await touched(...read.rows.map(r => r.body.gridId))
      return succeed({ imported: read.rows.length, problems: [] }, { created: true })
    },

    /** Checks a person off during the operation: reached, evacuated, or stays (with the reason). */
    async check(call: Call, personId: string, body: EvacuationBody): Promise<Result<{ check: EvacuationCheck, tally: EvacuationTally }>> {
      const person = await reg.get(personId)
      if (!person)
        return fail('not_found', `no one with id ${personId} is on the register`, 'id')
      const d = authorizeAt(call.principal, 'evacuation:check', placeOf(person.gridId))
      if (!d.allow)
        return refuseOutside(deps.audit, call, 'evacuation:check', personId, d.reason)
      const op = await deps.active()
      if (!op)
        return fail('conflict', 'no operation is active: check-offs are recorded during wartime', 'operation')
      const reason = body.reason?.trim() ?? ''
      if (body.status === 'stays' && !reason)
        return fail('invalid', 'say why the person stays', 'reason')
      const check: EvacuationCheck = { operationId: op.id, personId, gridId: person.gridId, status: body.status, reason, at: deps.now().toISOString(), by: who(call) }
      await reg.check(check)
      await allow(call, 'evacuation:check', personId, body.status)
      return succeed({ check, tally: await retally(op.id, person.gridId) })
    },
  }
}

export type RegisterService = ReturnType<typeof createRegisterService>
