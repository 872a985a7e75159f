import type { Depot, Shelter } from '../territory/types.ts'
import type { DepotStock, ResourceMove, ShelterMoveBody, ShelterOccupancy, StockMoveBody } from './schema.ts'

// A move applied to a depot's stock or a shelter's occupancy: pure, so the service, the desk's form and the tests
// agree on what is refused. Stock never goes below zero; nor does occupancy; over capacity is allowed and flagged.

export type Applied<T> = { ok: true, value: T } | { ok: false, field: string, message: string }

/** A depot before any move: the package's `Depot.items`, version 0. */
export function baselineStock(depot: Depot): DepotStock {
  return { id: depot.id, version: 0, items: depot.items.map(i => ({ kind: i.kind, qty: i.qty })), last: null, updatedAt: null }
}

/** A shelter before any move: empty, version 0. */
export function baselineShelter(shelter: Shelter): ShelterOccupancy {
  return { id: shelter.id, version: 0, capacity: shelter.capacity, people: 0, households: 0, over: false, last: null, updatedAt: null }
}

/** The stock held for a depot, with kinds the package added since the last move at their baseline. */
export function currentStock(depot: Depot, held: DepotStock | null): DepotStock {
  if (!held)
    return baselineStock(depot)
  const missing = depot.items.filter(i => !held.items.some(h => h.kind === i.kind))
  return missing.length ? { ...held, items: [...held.items, ...missing.map(i => ({ kind: i.kind, qty: i.qty }))] } : held
}

/** The occupancy held for a shelter, its capacity from the package in force. */
export function currentShelter(shelter: Shelter, held: ShelterOccupancy | null): ShelterOccupancy {
  if (!held)
    return baselineShelter(shelter)
  return held.capacity === shelter.capacity ? held : { ...held, capacity: shelter.capacity, over: held.people > shelter.capacity }
}

export type MoveStamp = Pick<ResourceMove, 'at' | 'by' | 'operationId'>

export function applyStockMove(stock: DepotStock, body: StockMoveBody, stamp: MoveStamp, kinds: readonly string[]): Applied<DepotStock> {
  if (!kinds.includes(body.itemKind))
    return { ok: false, field: 'itemKind', message: `unknown resource kind ${body.itemKind}` }
  const held = stock.items.find(i => i.kind === body.itemKind)?.qty ?? 0
  const qty = body.kind === 'issue' ? held - body.qty : held + body.qty
  if (qty < 0)
    return { ok: false, field: 'qty', message: `only ${held} ${body.itemKind} in stock at ${stock.id}: cannot issue ${body.qty}` }
  const items = stock.items.some(i => i.kind === body.itemKind)
    ? stock.items.map(i => i.kind === body.itemKind ? { ...i, qty } : i)
    : [...stock.items, { kind: body.itemKind, qty }]
  const last: ResourceMove = { kind: body.kind, itemKind: body.itemKind, qty: body.qty, households: null, ...stamp }
  return { ok: true, value: { ...stock, version: stock.version + 1, items, last, updatedAt: stamp.at } }
}

export function applyShelterMove(shelter: ShelterOccupancy, body: ShelterMoveBody, stamp: MoveStamp): Applied<ShelterOccupancy> {
  const sign = body.kind === 'check_in' ? 1 : -1
  const people = shelter.people + sign * body.people
  if (people < 0)
    return { ok: false, field: 'qty', message: `only ${shelter.people} people are checked in at ${shelter.id}: cannot check out ${body.people}` }
  const households = Math.max(0, shelter.households + sign * (body.households ?? 0))
  const last: ResourceMove = { kind: body.kind, itemKind: null, qty: body.people, households: body.households ?? null, ...stamp }
  return { ok: true, value: { ...shelter, version: shelter.version + 1, people, households, over: people > shelter.capacity, last, updatedAt: stamp.at } }
}
