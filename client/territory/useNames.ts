import { useI18n } from 'vue-i18n'
import { vocabName } from '../../shared/territory/types.ts'
import { useReferenceStore } from './reference-store.ts'

/** Display names of catalog and organisation entries in the current language (codes until the catalog arrives). */
export function useNames() {
  const { locale, t } = useI18n()
  const reference = useReferenceStore()
  const zh = () => locale.value === 'zh-CN'
  return {
    // `was`: the name the incident carries (its labels), shown when the package in force no longer has the id.
    category(code: string, was?: string): string {
      const c = reference.categories.get(code)
      return c ? (zh() ? c.name : c.nameEn) : was ?? code
    },
    sector(id: string | null, was?: string): string {
      if (id === null)
        return t('sectorNone')
      const s = reference.catalog?.sectors.find(x => x.id === id)
      return s ? (zh() ? s.name : s.nameEn) : was ?? id
    },
    post(id: string | null, was?: string): string | null {
      if (id === null)
        return null
      const p = reference.catalog?.posts.find(x => x.id === id)
      return p ? (zh() ? p.name : p.nameEn) : was ?? id
    },
    person(id: string | null, was?: string): string | null {
      return id === null ? null : reference.people.get(id)?.name ?? was ?? id
    },
    /** The subdistrict's own kinds (its package names them): force kinds, risk tags, resource kinds. */
    forceKind: (id: string): string => vocabName(reference.org?.forceKinds ?? [], id, zh() ? 'zh' : 'en'),
    riskTag: (id: string): string => vocabName(reference.facilities?.riskTags ?? [], id, zh() ? 'zh' : 'en'),
    resourceKind: (id: string): string => vocabName(reference.facilities?.resourceKinds ?? [], id, zh() ? 'zh' : 'en'),
  }
}
