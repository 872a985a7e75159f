import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useTerritoryStore } from '../../territory/store.ts'

interface Place { id: string, name: string, nameEn?: string, communityId?: string }

/** Communities and grids with their display names, from the territory's features (ids until it arrives). */
export function usePlaces() {
  const territory = useTerritoryStore()
  const { locale } = useI18n()
  void territory.load().catch(err => console.warn('[desk] territory not available', err))
  const read = (fc: { features: { properties: unknown }[] } | undefined) => (fc?.features ?? []).map(f => f.properties as Place)
  const communities = computed(() => read(territory.territory?.communities))
  const grids = computed(() => read(territory.territory?.grids))
  const byId = computed(() => new Map([...communities.value, ...grids.value].map(p => [p.id, p])))
  const name = (id: string | null): string => {
    if (id === null)
      return '—'
    const p = byId.value.get(id)
    return p ? (locale.value === 'zh-CN' || !p.nameEn ? p.name : p.nameEn) : id
  }
  return { communities, grids, name }
}
