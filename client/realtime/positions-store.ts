import type { WorkerPosition } from '../../shared/sync/schema.ts'
import type { AppSocket } from './socket.ts'
import { defineStore } from 'pinia'
import { shallowRef, triggerRef } from 'vue'

/** Where grid workers are: coalesced by the server, not part of the change log. */
export const usePositionsStore = defineStore('positions', () => {
  const byId = shallowRef(new Map<string, WorkerPosition>())

  function replace(positions: readonly WorkerPosition[]): void {
    byId.value = new Map(positions.map(p => [p.id, p]))
  }

  function update(positions: readonly WorkerPosition[]): void {
    for (const p of positions) {
      const held = byId.value.get(p.id)
      if (!held || held.at <= p.at)
        byId.value.set(p.id, p)
    }
    triggerRef(byId)
  }

  function bind(socket: AppSocket): void {
    socket.on('sync:snapshot', snapshot => replace(snapshot.positions))
    socket.on('positions:update', update)
  }

  return { byId, replace, update, bind }
})
