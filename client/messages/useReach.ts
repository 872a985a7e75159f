import type { ReferenceData, RiskTag } from '../../shared/territory/types.ts'
import type { Plan } from '../../shared/wartime/schema.ts'
import { computed, shallowRef } from 'vue'
import { useReferenceStore } from '../territory/reference-store.ts'
import { useTerritoryStore } from '../territory/store.ts'
import { getJson } from '../ui/http.ts'

const plans = shallowRef<Plan[]>([])
const NOWHERE = { lon: 0, lat: 0 }
let plansAsked: Promise<void> | null = null

/**
 * The reference data the server resolves an audience with, rebuilt on the client from what it already loads
 * (territory, organisation, facilities) and the plans, so `recipientsOf` counts here what the server will send.
 * Geometry is left out: reaching people never needs it.
 */
export function useReach() {
  const territory = useTerritoryStore()
  const reference = useReferenceStore()
  void territory.load().catch(err => console.warn('[messages] territory', err))
  void reference.load().catch(err => console.warn('[messages] reference', err))
  plansAsked ??= getJson<Plan[]>('/api/plans').then((p) => {
    plans.value = p
  }).catch((err: unknown) => {
    plansAsked = null
    console.warn('[messages] plans', err)
  })

  const ref = computed<ReferenceData | null>(() => {
    const t = territory.territory
    if (!t || !reference.org || !reference.facilities)
      return null
    return {
      territory: {
        subdistrict: t.subdistrict as ReferenceData['territory']['subdistrict'],
        communities: t.communities.features.map(f => ({ id: f.properties.id, name: f.properties.name, nameEn: f.properties.name, polygon: [], center: NOWHERE })),
        grids: t.grids.features.map(f => ({ id: f.properties.id, name: f.properties.name, communityId: f.properties.communityId, riskTags: f.properties.riskTags as RiskTag[], households: f.properties.households ?? 0, polygon: [], center: NOWHERE })),
      },
      org: reference.org,
      facilities: reference.facilities,
    }
  })
  return { ref, plans }
}
