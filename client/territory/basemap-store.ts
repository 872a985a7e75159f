import type { Change } from '../../shared/sync/schema.ts'
import type { BasemapSetting } from '../../shared/territory/basemap.ts'
import type { LonLat } from '../../shared/territory/crs.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { BUNDLED_BASEMAP } from '../../shared/territory/basemap.ts'
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../shared/territory/crs.ts'
import { getJson } from '../ui/http.ts'

const same = (p: LonLat): LonLat => p

/** Where our WGS84 data is drawn on a basemap (GCJ-02 tiles shift it) and back (a pin dropped on them). */
export function displayOf(s: Pick<BasemapSetting, 'kind' | 'crs'>): { shifted: boolean, toDisplay: (p: LonLat) => LonLat, fromDisplay: (p: LonLat) => LonLat } {
  return s.kind !== 'bundled' && s.crs === 'GCJ02'
    ? { shifted: true, toDisplay: wgs84ToGcj02, fromDisplay: gcj02ToWgs84 }
    : { shifted: false, toDisplay: same, fromDisplay: same }
}

/**
 * The basemap every map draws under the territory: loaded once, then followed live through the change log (an
 * admin's save reaches every open wall, desk and phone without a reload).
 */
export const useBasemapStore = defineStore('basemap', () => {
  const setting = shallowRef<BasemapSetting>(BUNDLED_BASEMAP)
  let loading: Promise<void> | null = null

  /** Identity unless the tiles are GCJ-02: then every map shifts our data onto them for display. */
  const display = computed(() => displayOf(setting.value))

  /** Loads the setting once; `again` after a snapshot replaced the log (a basemap change may be in the gap). */
  function load(again = false): Promise<void> {
    if (again)
      loading = null
    loading ??= getJson<BasemapSetting>('/api/basemap/setting').then((s) => {
      if (s.version >= setting.value.version)
        setting.value = s
    }).catch((err: unknown) => {
      loading = null
      throw err
    })
    return loading
  }

  /** Changes arrive in log order: the last basemap change of a batch is the setting. */
  function apply(changes: readonly Change[]): void {
    for (const c of changes) {
      if (c.kind === 'basemap')
        setting.value = c.data
    }
  }

  return { setting, display, load, apply }
})
