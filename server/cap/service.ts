import type { StoredWarning } from '../../shared/cap/lifecycle.ts'
import type { CapAlert } from '../../shared/cap/types.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import type { Plan, Warning } from '../../shared/wartime/schema.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import { affectedGrids } from '../../shared/cap/area.ts'
import { hazardOf, warningColour } from '../../shared/cap/gbt35965.ts'
import { applyAlert, mayProposeWartime, warningKey } from '../../shared/cap/lifecycle.ts'
import { parseCap } from '../../shared/cap/parse.ts'
import { MAX_CAP_BYTES } from '../../shared/kernel/limits.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { suggestPlans } from '../../shared/wartime/plans.ts'
import { entity } from '../db/store.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'

/** The wall's view of a CAP alert: its first info block (Chinese first), its areas, and a proposal. */
export function toWarning(sw: StoredWarning, version: number, ref: ReferenceData, plans: Plan[]): Warning {
  const a = sw.alert
  const info = a.infos.find(i => i.language?.startsWith('zh')) ?? a.infos[0]
  const areas = a.infos.flatMap(i => i.areas)
  const colour = info ? warningColour(info) : 'blue'
  const hazard = info ? hazardOf(info) : 'other'
  const s = ref.territory.subdistrict
  const affectedGridIds = affectedGrids(areas, ref.territory.grids, { divisionCodes: s.capAreaCodes.map(c => c.replace(/(?:000)+$/, '')), areaNames: s.capAreaNames })
  const proposed = mayProposeWartime(sw) && affectedGridIds.length > 0 ? suggestPlans(plans, { hazard, colour })[0] : undefined
  return {
    id: sw.key,
    version,
    sender: a.sender,
    identifier: a.identifier,
    sent: a.sent,
    msgType: a.msgType,
    status: a.status,
    event: info?.event ?? '',
    headline: info?.headline ?? info?.event ?? '',
    description: info?.description ?? '',
    colour,
    hazard,
    areaDesc: areas.map(x => x.areaDesc).join('；'),
    affectedGridIds,
    state: sw.state,
    expires: info?.expires ?? null,
    receivedAt: sw.receivedAt,
    proposal: proposed ? { planId: proposed.id, planName: proposed.name } : null,
    exercise: sw.exercise,
  }
}

/**
 * CAP 1.2 warnings: parse and validate, honour Update/Cancel, find the affected grids, propose a plan.
 * A person decides: nothing here declares wartime.
 */
export function createCapService(deps: { store: Store, audit: Audit, reference: ReferenceData, now: () => Date }) {
  const lock = new KeyedLock()
  // The reducer works on the full alerts; the entities keep what the screens show. Rebuilt from the change log on start.
  let stored: StoredWarning[] | null = null
  // A warning committed (by this node or another on the same store): the next alert reads the alerts again (under
  // this node's lock, after this node's own write of them).
  deps.store.onCommit((changes) => {
    if (changes.some(c => c.kind === 'warning'))
      stored = null
  })

  async function load(): Promise<StoredWarning[]> {
    if (stored)
      return stored
    const raw = await deps.store.auth.getMeta('cap_alerts')
    stored = raw ? JSON.parse(raw) as StoredWarning[] : []
    return stored
  }

  return {
    list: () => deps.store.listEntities('warning'),

    async ingest(call: Call, xml: string): Promise<Result<Warning>> {
      const g = await deps.audit.guard(call, 'cap:ingest')
      if (!g.ok)
        return g
      if (Buffer.byteLength(xml) > MAX_CAP_BYTES)
        return fail('too_large', `a CAP alert may be at most ${MAX_CAP_BYTES} bytes`, 'body')
      const parsed = parseCap(xml)
      if (!parsed.ok) {
        await deps.audit.record(call.principal, call.origin, { action: 'cap:ingest', result: 'fail', detail: parsed.error })
        return fail('invalid', parsed.error, parsed.field ?? 'body')
      }
      return lock.run('cap', async () => applyParsed(call, parsed.alert, g.role))
    },
  }

  async function applyParsed(call: Call, alert: CapAlert, role: string): Promise<Result<Warning>> {
    const before = await load()
    const at = deps.now()
    const res = applyAlert(before, alert, { now: at })
    const plans = (await deps.store.listEntities('plan')).filter(p => !p.retired)
    const key = warningKey(alert)
    // Entities for every warning whose state changed (the new one, and those it updated or cancelled).
    const mutations = []
    for (const sw of res.warnings) {
      const prior = before.find(b => b.key === sw.key)
      if (prior && prior.state === sw.state)
        continue
      const current = await deps.store.getEntity('warning', sw.key)
      mutations.push(entity('warning', toWarning(sw, (current?.version ?? 0) + 1, deps.reference, plans), prior ? sw.state : 'receive', at.toISOString()))
    }
    const audit = deps.audit.entry(call.principal, call.origin, { action: 'cap:ingest', target: key, result: 'allow', role, detail: `${res.effect}${res.reason ? `: ${res.reason}` : ''}` })
    // The reducer's memory (the newest 500 alerts are plenty to resolve references) in the same transaction as the
    // warnings: another node, or this one after a crash, never reads alerts a step behind the warnings.
    const memory = res.warnings.slice(-500)
    await deps.store.commit({ mutations, audit, meta: [['cap_alerts', JSON.stringify(memory)]] })
    stored = memory
    const mine = await deps.store.getEntity('warning', key)
    if (!mine)
      return fail('conflict', res.reason ?? `alert ${res.effect}`, 'body')
    return succeed(mine, { created: res.effect !== 'duplicate', replayed: res.effect === 'duplicate' })
  }
}

export type CapService = ReturnType<typeof createCapService>
