import type { ReferenceVersion } from '../../../shared/setup/schema.ts'
import { computed, reactive, shallowRef, watch } from 'vue'
import { useReferenceStore } from '../../territory/reference-store.ts'
import { useTerritoryStore } from '../../territory/store.ts'
import { sendJson } from '../../ui/http.ts'
import { useSubmit } from './useSubmit.ts'

const list = (s: string) => s.split(/[,，、\s]+/).map(x => x.trim()).filter(Boolean)

/** The subdistrict's settings as a form, filled from the territory in force; saving makes the next version. */
export function useSetupSettings(onSaved: (v: ReferenceVersion) => void) {
  const territory = useTerritoryStore()
  const reference = useReferenceStore()
  const form = reactive({ name: '', nameEn: '', code: '', wallTitle: '', wallTitleEn: '', capAreaCodes: '', capAreaNames: '', headline: '' })
  const { busy, error, run } = useSubmit()
  const saved = shallowRef<ReferenceVersion | null>(null)
  const fill = () => {
    const s = territory.territory?.subdistrict
    if (!s)
      return
    Object.assign(form, { name: s.name, nameEn: s.nameEn, code: s.code, wallTitle: s.wallTitle, wallTitleEn: s.wallTitleEn, capAreaCodes: s.capAreaCodes.join(', '), capAreaNames: s.capAreaNames.join(', '), headline: reference.headline.join(', ') })
  }
  watch([() => territory.territory, () => reference.headline], fill, { immediate: true })
  const counts = computed(() => ({
    communities: territory.territory?.communities.features.length ?? 0,
    grids: territory.territory?.grids.features.length ?? 0,
    people: reference.org?.people.length ?? 0,
    categories: reference.catalog?.categories.length ?? 0,
  }))

  async function save(): Promise<void> {
    const body = { ...form, capAreaCodes: list(form.capAreaCodes), capAreaNames: list(form.capAreaNames), headline: list(form.headline) }
    const v = await run(() => sendJson<ReferenceVersion>('/api/setup/settings', body, { method: 'PUT' }))
    if (v) {
      saved.value = v
      onSaved(v)
    }
  }
  return { form, counts, error, saved, busy, save }
}
