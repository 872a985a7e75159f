import type { DepotStock, EvacuationTally, ResourcesState, ShelterMoveBody, ShelterOccupancy, StockMoveBody } from '../../shared/resources/schema.ts'
import type { Change } from '../../shared/sync/schema.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef, triggerRef } from 'vue'
import { shelterTotals, stockTotals } from '../../shared/resources/figures.ts'
import { getJson, sendJson } from '../ui/http.ts'

interface Versioned { id: string, version: number }

/** Keeps the newer version of an entity; answers whether anything changed. */
function hold<T extends Versioned>(map: Map<string, T>, x: T): boolean {
  const held = map.get(x.id)
  if (held && held.version >= x.version)
    return false
  map.set(x.id, x)
  return true
}

/**
 * Depots' stock, shelters' occupancy and the operation's evacuation counts per grid, as every screen holds them:
 * loaded once (and after a snapshot), then kept live from the change log by version. Counts only: the register
 * itself is never here.
 */
export const useResourcesStore = defineStore('resources', () => {
  const depots = shallowRef(new Map<string, DepotStock>())
  const shelters = shallowRef(new Map<string, ShelterOccupancy>())
  const evacuation = shallowRef(new Map<string, EvacuationTally>())
  const loaded = shallowRef(false)
  /** The operation the evacuation counts belong to: a new one starts from its own tallies. */
  const operationId = shallowRef<string | null>(null)

  const stock = computed(() => stockTotals([...depots.value.values()]))
  const occupancy = computed(() => shelterTotals([...shelters.value.values()]))
  const grids = computed(() => [...evacuation.value.values()].filter(t => t.operationId === operationId.value))

  /** The answer's entities, each kept at the newer of its version there and one that came live while it was on its way. */
  function newer<T extends Versioned>(held: Map<string, T>, answer: readonly T[]): Map<string, T> {
    return new Map(answer.map((x) => {
      const mine = held.get(x.id)
      return [x.id, mine && mine.version > x.version ? mine : x]
    }))
  }

  async function load(): Promise<void> {
    const s = await getJson<ResourcesState>('/api/resources')
    depots.value = newer(depots.value, s.depots)
    shelters.value = newer(shelters.value, s.shelters)
    evacuation.value = newer(evacuation.value, s.evacuation)
    operationId.value = s.evacuation[0]?.operationId ?? operationId.value
    loaded.value = true
  }

  function apply(changes: readonly Change[]): void {
    const touched = new Set<object>()
    for (const c of changes) {
      if (c.kind === 'stock' && hold(depots.value, c.data)) {
        touched.add(depots)
      }
      else if (c.kind === 'shelter' && hold(shelters.value, c.data)) {
        touched.add(shelters)
      }
      else if (c.kind === 'evacuation' && hold(evacuation.value, c.data)) {
        operationId.value = c.data.operationId
        touched.add(evacuation)
      }
      else if (c.kind === 'operation' && !c.data.active && c.id === operationId.value) {
        evacuation.value = new Map()
        operationId.value = null
      }
    }
    for (const r of [depots, shelters, evacuation]) {
      if (touched.has(r))
        triggerRef(r as typeof depots)
    }
  }

  async function moveStock(depotId: string, body: StockMoveBody, key: string): Promise<DepotStock> {
    const d = await sendJson<DepotStock>(`/api/resources/depots/${encodeURIComponent(depotId)}/moves`, body, { headers: { 'idempotency-key': key } })
    if (hold(depots.value, d))
      triggerRef(depots)
    return d
  }

  async function moveShelter(shelterId: string, body: ShelterMoveBody, key: string): Promise<ShelterOccupancy> {
    const s = await sendJson<ShelterOccupancy>(`/api/resources/shelters/${encodeURIComponent(shelterId)}/moves`, body, { headers: { 'idempotency-key': key } })
    if (hold(shelters.value, s))
      triggerRef(shelters)
    return s
  }

  return { depots, shelters, evacuation, loaded, operationId, stock, occupancy, grids, load, apply, moveStock, moveShelter }
})
