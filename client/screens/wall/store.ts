import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'

export const LAYERS = ['communities', 'grids', 'incidents', 'heatmap', 'workers', 'stations', 'riskPoints', 'shelters', 'depots'] as const
export type LayerKey = typeof LAYERS[number]
const LAYERS_KEY = 'onescreen.layers'
const DEFAULT_OFF: readonly LayerKey[] = ['heatmap']

function initialLayers(): Record<LayerKey, boolean> {
  const saved = JSON.parse(localStorage.getItem(LAYERS_KEY) ?? '{}') as Partial<Record<LayerKey, boolean>>
  return Object.fromEntries(LAYERS.map(k => [k, typeof saved[k] === 'boolean' ? saved[k] : !DEFAULT_OFF.includes(k)])) as Record<LayerKey, boolean>
}

/** What the wall is showing: the open drawer and the visible map layers (remembered across reloads). */
export const useWallStore = defineStore('wall', () => {
  const selectedIncidentId = shallowRef<string | null>(null)
  const selectedGridId = shallowRef<string | null>(null)
  /** A cluster of possible duplicates whose members the map lists (`dup:` + its oldest member's id). */
  const selectedClusterId = shallowRef<string | null>(null)
  const layers = ref(initialLayers())

  watch(layers, l => localStorage.setItem(LAYERS_KEY, JSON.stringify(l)), { deep: true })

  function selectIncident(id: string | null): void {
    selectedIncidentId.value = id
    if (id) {
      selectedGridId.value = null
      selectedClusterId.value = null
    }
  }

  function selectGrid(id: string | null): void {
    selectedGridId.value = id
    if (id) {
      selectedIncidentId.value = null
      selectedClusterId.value = null
    }
  }

  function selectCluster(id: string | null): void {
    selectedClusterId.value = id
    if (id) {
      selectedIncidentId.value = null
      selectedGridId.value = null
    }
  }

  function toggleLayer(key: LayerKey): void {
    layers.value[key] = !layers.value[key]
  }

  return { selectedIncidentId, selectedGridId, selectedClusterId, layers, selectIncident, selectGrid, selectCluster, toggleLayer }
})
