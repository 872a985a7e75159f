import { useI18n } from 'vue-i18n'
import { useReferenceStore } from './reference-store.ts'

/** Display names of catalog and organisation entries in the current language (codes until the catalog arrives). */
export function useNames() {
  const { locale, t } = useI18n()
  const reference = useReferenceStore()
  const zh = () => locale.value === 'zh-CN'
  return {
    category(code: string): string {
      const c = reference.categories.get(code)
      return c ? (zh() ? c.name : c.nameEn) : code
    },
    sector(id: string | null): string {
      if (id === null)
        return t('sectorNone')
      const s = reference.catalog?.sectors.find(x => x.id === id)
      return s ? (zh() ? s.name : s.nameEn) : id
    },
    post(id: string | null): string | null {
      if (id === null)
        return null
      const p = reference.catalog?.posts.find(x => x.id === id)
      return p ? (zh() ? p.name : p.nameEn) : id
    },
    person(id: string | null): string | null {
      return id === null ? null : reference.people.get(id)?.name ?? id
    },
  }
}
