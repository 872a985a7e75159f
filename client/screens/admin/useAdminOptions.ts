import type { RoleKey } from '../../../shared/territory/types.ts'
import type { Territory } from '../../territory/store.ts'
import { computed, shallowRef } from 'vue'
import { useReferenceStore } from '../../territory/reference-store.ts'
import { getJson } from '../../ui/http.ts'

/** Roles an account may hold (the system and integrations are not people). */
export const ACCOUNT_ROLES: readonly RoleKey[] = ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker', 'force_member', 'leader', 'wall']

const communities = shallowRef<{ id: string, name: string }[]>([])
let loading: Promise<void> | null = null

/** The choices the console's forms offer: communities, sectors, posts and people from the reference data. */
export function useAdminOptions() {
  const reference = useReferenceStore()
  loading ??= getJson<Territory>('/api/territory')
    .then((t) => {
      communities.value = t.communities.features.map(f => ({ id: f.properties.id, name: f.properties.name }))
    })
    .catch(() => {
      loading = null
    })
  const people = computed(() => [...(reference.org?.people ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'zh')))
  const sectors = computed(() => reference.org?.sectors ?? [])
  const posts = computed(() => reference.org?.posts ?? [])
  const personName = (id: string | null) => (id && reference.people.get(id)?.name) || ''
  const communityName = (id: string | null | undefined) => communities.value.find(c => c.id === id)?.name ?? id ?? ''
  return { communities, people, sectors, posts, personName, communityName }
}
