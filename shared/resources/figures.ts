import type { Change } from '../sync/schema.ts'
import type { DepotStock, EvacuationTally, ResourceMove, ShelterOccupancy } from './schema.ts'

// The resource figures every screen and report reads: the wall's counts, the after-action report's "resources used",
// the information reports' sheltered and evacuated counts. One definition each.

export interface KindTotal { kind: string, qty: number }

/** Stock per resource kind across depots, in the order kinds first appear. */
export function stockTotals(depots: readonly DepotStock[]): KindTotal[] {
  const totals = new Map<string, number>()
  for (const d of depots) {
    for (const i of d.items) totals.set(i.kind, (totals.get(i.kind) ?? 0) + i.qty)
  }
  return [...totals].map(([kind, qty]) => ({ kind, qty }))
}

export interface Occupancy { people: number, households: number, capacity: number, over: number }

/** People in shelters against their capacity; `over`: shelters above capacity. */
export function shelterTotals(shelters: readonly ShelterOccupancy[]): Occupancy {
  return shelters.reduce((t, s) => ({ people: t.people + s.people, households: t.households + s.households, capacity: t.capacity + s.capacity, over: t.over + (s.over ? 1 : 0) }), { people: 0, households: 0, capacity: 0, over: 0 })
}

/** A recorded move with where it happened: each `stock`/`shelter` change of the log carries the move that made it. */
export interface PlacedMove extends ResourceMove { placeId: string, place: 'depot' | 'shelter' }

/** The moves recorded during an operation, in log order, from any run of changes (the log, a page of it). */
export function movesOf(changes: readonly Change[], operationId: string): PlacedMove[] {
  const out: PlacedMove[] = []
  for (const c of changes) {
    if ((c.kind === 'stock' || c.kind === 'shelter') && c.data.last?.operationId === operationId)
      out.push({ ...c.data.last, placeId: c.id, place: c.kind === 'stock' ? 'depot' : 'shelter' })
  }
  return out
}

export interface KindUsed { kind: string, issued: number, returned: number, net: number }

/** "Resources used" of an after-action report: per resource kind, issued, returned, and what stayed out. */
export function resourcesUsed(moves: readonly ResourceMove[]): KindUsed[] {
  const by = new Map<string, KindUsed>()
  for (const m of moves) {
    if (m.itemKind === null || (m.kind !== 'issue' && m.kind !== 'return'))
      continue
    const u = by.get(m.itemKind) ?? { kind: m.itemKind, issued: 0, returned: 0, net: 0 }
    if (m.kind === 'issue')
      u.issued += m.qty
    else
      u.returned += m.qty
    u.net = u.issued - u.returned
    by.set(m.itemKind, u)
  }
  return [...by.values()]
}

/** People checked into shelters and out again during an operation (the moves' sums, not the current occupancy). */
export function shelterFlow(moves: readonly ResourceMove[]): { checkedIn: number, checkedOut: number } {
  let checkedIn = 0
  let checkedOut = 0
  for (const m of moves) {
    if (m.kind === 'check_in')
      checkedIn += m.qty
    else if (m.kind === 'check_out')
      checkedOut += m.qty
  }
  return { checkedIn, checkedOut }
}

export interface EvacuationTotals { grids: number, total: number, reached: number, evacuated: number, stays: number, accounted: number }

/** 每户到人: everyone on a grid's register checked off in any way (reached, evacuated, stays with a reason). */
export const accounted = (t: Pick<EvacuationTally, 'reached' | 'evacuated' | 'stays'>): number => t.reached + t.evacuated + t.stays

/** An operation's evacuation across grids: the information reports' evacuated count, the wall's n/N. */
export function evacuationTotals(tallies: readonly EvacuationTally[], operationId: string): EvacuationTotals {
  const mine = tallies.filter(t => t.operationId === operationId)
  const sum = (k: 'total' | 'reached' | 'evacuated' | 'stays') => mine.reduce((n, t) => n + t[k], 0)
  return { grids: mine.length, total: sum('total'), reached: sum('reached'), evacuated: sum('evacuated'), stays: sum('stays'), accounted: mine.reduce((n, t) => n + accounted(t), 0) }
}
