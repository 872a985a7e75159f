import type { DuplicateSettings } from '../../shared/incident/duplicates.ts'
import type { Catalog, Category } from '../../shared/organisation/catalog.ts'
import type { CatalogResponse, ReferenceResponse } from '../../shared/territory/schema.ts'
import type { Facilities, Organisation, Person } from '../../shared/territory/types.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { duplicateRules } from '../../shared/incident/duplicates.ts'
import { getJson } from '../ui/http.ts'

/** Organisation, facilities and the responsibility catalog: loaded once, again when a new package is applied. */
export const useReferenceStore = defineStore('reference', () => {
  const org = shallowRef<Organisation | null>(null)
  const facilities = shallowRef<Facilities | null>(null)
  const catalog = shallowRef<Catalog | null>(null)
  const headline = shallowRef<string[]>([])
  const duplicateSettings = shallowRef<Partial<DuplicateSettings> | undefined>(undefined)
  /** Counts the packages applied while this page is open: what is derived elsewhere (the phone's picker) follows it. */
  const applied = shallowRef(0)
  let loading: Promise<void> | null = null

  const people = computed(() => new Map<string, Person>((org.value?.people ?? []).map(p => [p.id, p])))
  /** The possible-duplicate rules in force: the package's thresholds and each category's related list. */
  const duplicates = computed(() => duplicateRules(duplicateSettings.value, catalog.value?.categories ?? []))
  const categories = computed(() => new Map<string, Category>((catalog.value?.categories ?? []).map(c => [c.code, c])))

  function load(): Promise<void> {
    loading ??= Promise.all([
      getJson<ReferenceResponse>('/api/reference'),
      getJson<CatalogResponse>('/api/catalog'),
    ]).then(([ref, cat]) => {
      org.value = ref.org
      facilities.value = ref.facilities
      headline.value = ref.headline
      duplicateSettings.value = ref.duplicates
      catalog.value = cat
    }).catch((err: unknown) => {
      loading = null
      throw err
    })
    return loading
  }

  /**
   * What a caller reads depends on who they are (staff phone numbers only to the desks that dispatch): after a
   * sign-in or sign-out on this screen, what was loaded is loaded again.
   */
  function reload(): Promise<void> {
    if (!loading)
      return Promise.resolve()
    loading = null
    return load()
  }

  /** A new package is in force: load again what was loaded, and tell whoever follows `applied`. */
  function packageApplied(): Promise<void> {
    applied.value++
    return reload()
  }

  return { org, facilities, catalog, headline, applied, people, categories, duplicates, load, reload, packageApplied }
})
