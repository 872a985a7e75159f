import type { App } from 'vue'
import { createI18n } from 'vue-i18n'
import en from '../locales/en.ts'
import zhCN from '../locales/zh-CN.ts'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = typeof LOCALES[number]
const STORAGE_KEY = 'onescreen.locale'

function initialLocale(): Locale {
  const asked = new URLSearchParams(location.search).get('lang') ?? localStorage.getItem(STORAGE_KEY)
  return (LOCALES as readonly string[]).includes(asked ?? '') ? asked as Locale : 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

const mergedStrings = new WeakSet<object>()

/**
 * Adds a screen's or a domain's strings (Chinese and English) to the one i18n instance, once: each loads them when
 * it first shows, so the wall never downloads the desk's or the phone's.
 */
export function mergeStrings(zhCN: Record<string, unknown>, en: Record<string, unknown>): void {
  if (mergedStrings.has(zhCN))
    return
  mergedStrings.add(zhCN)
  i18n.global.mergeLocaleMessage('zh-CN', zhCN)
  i18n.global.mergeLocaleMessage('en', en)
}

/** Switches the UI language and remembers it on this screen. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale
}

export function install(app: App): void {
  document.documentElement.lang = i18n.global.locale.value
  app.use(i18n)
}
