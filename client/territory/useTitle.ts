import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useTerritoryStore } from './store.ts'

/**
 * The command centre's title as the subdistrict's package names it (大屏标题), in the current language; the product's
 * name until the territory has loaded or when nothing is set up yet.
 */
export function useTitle() {
  const { locale, t } = useI18n()
  const territory = useTerritoryStore()
  void territory.load().catch(err => console.warn('[territory] not available', err))
  return computed(() => {
    const s = territory.territory?.subdistrict
    const title = locale.value === 'zh-CN' ? s?.wallTitle : s?.wallTitleEn
    return title || t('app.title')
  })
}
