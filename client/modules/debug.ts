import type { App } from 'vue'
import { useIncidentsStore } from '../stores/incidents.ts'
import { pinia } from './pinia.ts'

/** Read-only hooks for browser tests and for an operator poking at a wall from DevTools. */
export interface DebugHooks {
  readonly seq: () => number | null
  readonly incidentCount: () => number
  /** Features of a map layer currently drawn on screen; -1 before the map has loaded. */
  renderedFeatureCount: (layer: string) => number
  mapIdle: () => boolean
}

declare global {
  interface Window { __onescreen?: DebugHooks }
}

export const debugHooks: DebugHooks = {
  seq: () => useIncidentsStore(pinia).seq,
  incidentCount: () => useIncidentsStore(pinia).byId.size,
  renderedFeatureCount: () => -1,
  mapIdle: () => false,
}

export function install(_app: App): void {
  window.__onescreen = debugHooks
}
