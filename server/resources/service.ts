import type { Principal } from '../../shared/auth/authz.ts'
import type { Failure, Result } from '../../shared/kernel/result.ts'
import type { Place } from '../../shared/resources/access.ts'
import type { KindUsed, PlacedMove } from '../../shared/resources/figures.ts'
import type { Applied, MoveStamp } from '../../shared/resources/levels.ts'
import type { DepotStock, ResourcesState, ShelterMoveBody, ShelterOccupancy, StockMoveBody } from '../../shared/resources/schema.ts'
import type { GridIndex } from '../../shared/territory/geo.ts'
import type { LngLat, ReferenceData } from '../../shared/territory/types.ts'
import type { Operation } from '../../shared/wartime/schema.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { authorizeAt } from '../../shared/resources/access.ts'
import { movesOf, resourcesUsed, shelterFlow } from '../../shared/resources/figures.ts'
import { applyShelterMove, applyStockMove, currentShelter, currentStock } from '../../shared/resources/levels.ts'
import { entity } from '../db/store.ts'
import { answerReplay, fingerprintOf, opKeyOf } from '../kernel/idempotency.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'

export interface ResourceDeps {
  store: Store
  audit: Audit
  readonly reference: ReferenceData
  readonly grids: GridIndex
  now: () => Date
  /** The operation in force: each move is stamped with it. */
  active: () => Promise<Operation | null>
}
export interface ResourceCall extends Call { opKey?: string }

/** The grid and community a location falls in: a depot's or a shelter's territory. */
export function placeAt(grids: GridIndex, at: LngLat): Place {
  const g = grids.locate(at)
  return { gridId: g?.id ?? null, communityId: g?.communityId ?? null }
}

/** Refuses a call outside the caller's role or territory, and records the refusal in the audit trail. */
export async function refuseOutside(audit: Audit, call: Call, action: string, target: string, reason: string): Promise<Failure> {
  await audit.record(call.principal, call.origin, { action, target, result: 'deny', detail: reason })
  return fail('forbidden', reason, 'role')
}

const who = (p: Principal) => p.personId ?? p.id

/**
 * Live resources (#17): a depot's issue and return, a shelter's check-in and check-out. Each move is one new
 * version of the depot's `stock` (or the shelter's `shelter`) entity, committed with its audit row and the caller's
 * Idempotency-Key; one move at a time per depot or shelter (the keyed lock), so concurrent moves keep levels exact.
 */
export function createResourceService(deps: ResourceDeps) {
  const lock = new KeyedLock()

  async function state(): Promise<ResourcesState> {
    const [stock, shelters, evacuation] = await Promise.all([deps.store.listEntities('stock'), deps.store.listEntities('shelter'), deps.store.listEntities('evacuation')])
    const active = await deps.active()
    return {
      depots: deps.reference.facilities.depots.map(d => currentStock(d, stock.find(s => s.id === d.id) ?? null)),
      shelters: deps.reference.facilities.shelters.map(s => currentShelter(s, shelters.find(o => o.id === s.id) ?? null)),
      evacuation: active ? evacuation.filter(t => t.operationId === active.id) : [],
    }
  }

  /** The one path of a move, for both kinds: authorise at the place, answer a retry, apply under the lock, commit. */
  async function move<K extends 'stock' | 'shelter'>(call: ResourceCall, kind: K, id: string, body: StockMoveBody | ShelterMoveBody, m: {
    location: LngLat
    current: () => Promise<K extends 'stock' ? DepotStock : ShelterOccupancy>
    apply: (held: K extends 'stock' ? DepotStock : ShelterOccupancy, stamp: MoveStamp) => Applied<K extends 'stock' ? DepotStock : ShelterOccupancy>
  }): Promise<Result<K extends 'stock' ? DepotStock : ShelterOccupancy>> {
    const action = `resource:${body.kind}`
    const d = authorizeAt(call.principal, 'resource:move', placeAt(deps.grids, m.location))
    if (!d.allow)
      return refuseOutside(deps.audit, call, action, id, d.reason)
    const fingerprint = fingerprintOf({ kind, id, body })
    return lock.run(`${kind}:${id}`, async () => {
      const key = opKeyOf(call)
      const prior = key ? await deps.store.getOp(key) : null
      if (prior)
        return answerReplay(prior, fingerprint)
      const at = deps.now().toISOString()
      const applied = m.apply(await m.current(), { at, by: who(call.principal), operationId: (await deps.active())?.id ?? null })
      if (!applied.ok)
        return fail(applied.field === 'qty' ? 'conflict' : 'invalid', applied.message, applied.field)
      const next = applied.value
      const detail = 'itemKind' in body ? `${body.itemKind} ${body.qty}` : `${body.people} people`
      const { result, replayed } = await deps.store.commit({
        mutations: [entity(kind, next as never, body.kind, at)],
        opKey: key,
        fingerprint,
        audit: deps.audit.entry(call.principal, call.origin, { action, target: id, result: 'allow', role: d.role, detail }),
        result: () => ({ status: 201, body: next }),
      })
      return replayed ? answerReplay(result!, fingerprint) : succeed(next, { created: true })
    })
  }

  /** The log read in pages of the largest size it serves. */
  const PAGE = 1000

  return {
    state,

    /**
     * What an operation used, for its after-action report: every move stamped with it (read from the change log,
     * where each `stock`/`shelter` version carries its move), per kind issued/returned, people checked in and out.
     */
    async usedIn(operationId: string): Promise<{ moves: PlacedMove[], used: KindUsed[], sheltered: ReturnType<typeof shelterFlow> }> {
      const moves: PlacedMove[] = []
      for (let since = (await deps.store.tail()) - 1; ;) {
        const page = await deps.store.changesSince(since, PAGE)
        moves.push(...movesOf(page, operationId))
        if (page.length < PAGE)
          break
        since = page.at(-1)!.seq
      }
      return { moves, used: resourcesUsed(moves), sheltered: shelterFlow(moves) }
    },

    /** Issues or returns items at a depot; an issue beyond what is in stock is refused (409, field `qty`). */
    async moveStock(call: ResourceCall, depotId: string, body: StockMoveBody): Promise<Result<DepotStock>> {
      const depot = deps.reference.facilities.depots.find(d => d.id === depotId)
      if (!depot)
        return fail('not_found', `depot ${depotId} does not exist`, 'id')
      const kinds = deps.reference.facilities.resourceKinds.map(k => k.id)
      return move(call, 'stock', depotId, body, {
        location: depot.location,
        current: async () => currentStock(depot, await deps.store.getEntity('stock', depotId)),
        apply: (held, stamp) => applyStockMove(held, body, stamp, kinds),
      })
    },

    /** Checks people into or out of a shelter; more out than in is refused (409, field `qty`), over capacity flagged. */
    async moveShelter(call: ResourceCall, shelterId: string, body: ShelterMoveBody): Promise<Result<ShelterOccupancy>> {
      const shelter = deps.reference.facilities.shelters.find(s => s.id === shelterId)
      if (!shelter)
        return fail('not_found', `shelter ${shelterId} does not exist`, 'id')
      return move(call, 'shelter', shelterId, body, {
        location: shelter.location,
        current: async () => currentShelter(shelter, await deps.store.getEntity('shelter', shelterId)),
        apply: (held, stamp) => applyShelterMove(held, body, stamp),
      })
    },
  }
}

export type ResourceService = ReturnType<typeof createResourceService>
