import type { FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson'
import type { TerritoryResponse } from '../../shared/territory/schema.ts'
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { getJson } from '../ui/http.ts'

export type Area<P> = FeatureCollection<Polygon | MultiPolygon, P>
/** TerritoryResponse with the geometry and properties the server documents for each layer. */
export interface Territory {
  /** The reference version (0 = no subdistrict set up yet). */
  version: number
  subdistrict: TerritoryResponse['subdistrict']
  communities: Area<{ id: string, name: string, nameEn?: string }>
  grids: Area<{ id: string, name: string, communityId: string, riskTags: string[], households?: number }>
}
export interface Basemap {
  district: Area<Record<string, unknown>>
  rivers: FeatureCollection<LineString, { name: string }>
}

/** Reference geography: loaded once, and again when the subdistrict's package changes (a `reference` change). */
export const useTerritoryStore = defineStore('territory', () => {
  const territory = shallowRef<Territory | null>(null)
  const basemap = shallowRef<Basemap | null>(null)
  let loading: Promise<void> | null = null

  function load(): Promise<void> {
    loading ??= Promise.all([getJson<Territory>('/api/territory'), getJson<Basemap>('/api/basemap')])
      .then(([t, b]) => {
        territory.value = t
        basemap.value = b
      })
      .catch((err: unknown) => {
        loading = null
        throw err
      })
    return loading
  }

  /** Loads the territory again (a new package was applied); the basemap outline does not change with it. */
  function reload(): Promise<void> {
    if (!loading)
      return Promise.resolve()
    return getJson<Territory>('/api/territory').then((t) => {
      territory.value = t
    })
  }

  return { territory, basemap, load, reload }
})
