import type { App } from 'vue'
import type { EChartsType } from './echarts.ts'
import { useIncidentsStore } from '../incident/store.ts'
import { pinia } from './pinia.ts'

/** Read-only hooks for browser tests and for an operator poking at a wall from DevTools. */
export interface DebugHooks {
  readonly seq: () => number | null
  readonly incidentCount: () => number
  /** The state and version this screen holds for an incident (null: it holds none). */
  readonly incidentState: (id: string) => { state: string, version: number } | null
  /** Features of a map layer currently drawn on screen; -1 before the map has loaded. */
  renderedFeatureCount: (layer: string) => number
  mapIdle: () => boolean
  /** Screen position of an incident on the map, or null when it is not on screen. */
  incidentPoint: (id: string) => { x: number, y: number } | null
  /** Screen position of a place on the map. */
  project: (lon: number, lat: number) => { x: number, y: number } | null
  /** The long-lived chart instances by name. */
  readonly charts: Map<string, EChartsType>
  /** Frames the map has drawn: a wall at rest should draw only when its data changes. */
  mapFrames: number
  /** How many alarm sounds were started (muted ones are not). */
  alarmsSounded: number
  /** Loses and restores the map's WebGL context, as a GPU reset would. */
  loseMapContext: () => boolean
}

declare global {
  interface Window { __onescreen?: DebugHooks }
}

export const debugHooks: DebugHooks = {
  seq: () => useIncidentsStore(pinia).seq,
  incidentCount: () => useIncidentsStore(pinia).byId.size,
  incidentState: (id) => {
    const inc = useIncidentsStore(pinia).byId.get(id)
    return inc ? { state: inc.state, version: inc.version } : null
  },
  renderedFeatureCount: () => -1,
  mapIdle: () => false,
  incidentPoint: () => null,
  project: () => null,
  charts: new Map(),
  alarmsSounded: 0,
  mapFrames: 0,
  loseMapContext: () => false,
}

export function install(_app: App): void {
  window.__onescreen = debugHooks
}
