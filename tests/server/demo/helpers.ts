import type { IncidentMutation as Mutation } from '../../../server/db/store.ts'
import type { Incident } from '../../../shared/incident/schema.ts'
import { buildBackfill } from '../../../server/demo/sim/backfill.ts'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'

export const REF = buildCuntanReference()
/** Mid-month, mid-morning in Chongqing: the latest full month is May 2025, its year-ago twin May 2024. */
export const NOW = new Date('2025-06-15T02:30:00.000Z')

let cached: { mutations: Mutation[] } | null = null

/** Built once per file (what it costs is in bench/demo-backfill.ts). */
export function backfill(): { mutations: Mutation[] } {
  cached ??= { mutations: buildBackfill(REF, DEFAULT_CATALOG, { now: NOW, months: 13, seed: 'test' }) }
  return cached
}

/** Each incident's steps in version order. */
export function byIncident(mutations: Mutation[]): Map<string, Mutation[]> {
  const out = new Map<string, Mutation[]>()
  for (const m of mutations)
    out.set(m.incident.id, [...(out.get(m.incident.id) ?? []), m])
  return out
}

export function finals(mutations: Mutation[]): Incident[] {
  return [...byIncident(mutations).values()].map(steps => steps[steps.length - 1]!.incident)
}
