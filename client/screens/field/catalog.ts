import type { Category } from '../../../shared/organisation/catalog.ts'
import type { CatalogResponse } from '../../../shared/territory/schema.ts'
import { shallowRef } from 'vue'
import { getJson } from '../../ui/http.ts'

// The categories a worker picks from. Kept in localStorage too: a report made in a dead spot right after the
// phone restarted must still have its picker.
const CACHE_KEY = 'onescreen.field.categories'
const FREQ_KEY = 'onescreen.field.frequent'

export type PickCategory = Pick<Category, 'code' | 'name' | 'nameEn' | 'severity'>

function cached(): PickCategory[] {
  try {
    return JSON.parse(localStorage.getItem(CACHE_KEY) ?? '[]') as PickCategory[]
  }
  catch {
    return []
  }
}

export const categories = shallowRef<PickCategory[]>(cached())

export async function loadCategories(): Promise<void> {
  const catalog = await getJson<CatalogResponse>('/api/catalog')
  categories.value = catalog.categories.map(({ code, name, nameEn, severity }) => ({ code, name, nameEn, severity }))
  localStorage.setItem(CACHE_KEY, JSON.stringify(categories.value))
}

function counts(personId: string): Record<string, number> {
  try {
    return JSON.parse(localStorage.getItem(`${FREQ_KEY}.${personId}`) ?? '{}') as Record<string, number>
  }
  catch {
    return {}
  }
}

/** This worker's most used categories on this phone, most used first. */
export function frequent(personId: string, n = 6): string[] {
  return Object.entries(counts(personId)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([code]) => code)
}

export function countUse(personId: string, code: string): void {
  const c = counts(personId)
  c[code] = (c[code] ?? 0) + 1
  localStorage.setItem(`${FREQ_KEY}.${personId}`, JSON.stringify(c))
}
