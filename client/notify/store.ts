import type { Delivery } from '../../shared/notify/schema.ts'
import type { Change } from '../../shared/sync/schema.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef, triggerRef } from 'vue'
import { useIncidentsStore } from '../incident/store.ts'
import { pinia } from '../modules/pinia.ts'
import { getJson } from '../ui/http.ts'

/**
 * The notification ladder's deliveries of the running operation (#17): loaded once per operation, then kept live
 * from the change log by version. Ids and channels only: no names or numbers travel in them.
 */
export const useDeliveriesStore = defineStore('deliveries', () => {
  const byId = shallowRef(new Map<string, Delivery>())
  const operationId = shallowRef<string | null>(null)

  const bySubject = computed(() => {
    const out = new Map<string, Delivery[]>()
    for (const d of byId.value.values())
      out.set(d.subject.id, [...(out.get(d.subject.id) ?? []), d])
    return out
  })
  const list = computed(() => [...byId.value.values()])

  function hold(ds: Iterable<Delivery>): void {
    let changed = false
    for (const d of ds) {
      const was = byId.value.get(d.id)
      if (d.operationId === operationId.value && (!was || was.version < d.version)) {
        byId.value.set(d.id, d)
        changed = true
      }
    }
    if (changed)
      triggerRef(byId)
  }

  /** Follows one operation's deliveries (null: none). */
  async function follow(id: string | null): Promise<void> {
    if (id === operationId.value)
      return
    operationId.value = id
    byId.value = new Map()
    if (id)
      hold(await getJson<Delivery[]>(`/api/deliveries?operationId=${encodeURIComponent(id)}`))
  }

  function apply(changes: readonly Change[]): void {
    hold(changes.flatMap(c => (c.kind === 'delivery' ? [c.data] : [])))
  }

  return { byId, operationId, list, bySubject, follow, apply }
})

let booted = false

/** Binds the deliveries to the change log, once per page load. */
export function bootDeliveries(): void {
  if (booted)
    return
  booted = true
  const store = useDeliveriesStore(pinia)
  useIncidentsStore(pinia).onApplied(changes => store.apply(changes))
}
