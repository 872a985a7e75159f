import type { App } from 'vue'
import { createI18n } from 'vue-i18n'
import zhCN from '../locales/zh-CN.ts'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = typeof LOCALES[number]
const STORAGE_KEY = 'onescreen.locale'

function askedLocale(): Locale {
  const asked = new URLSearchParams(location.search).get('lang') ?? localStorage.getItem(STORAGE_KEY)
  return (LOCALES as readonly string[]).includes(asked ?? '') ? asked as Locale : 'zh-CN'
}

// Chinese from the start; English is switched to once its strings are here (see `setLocale`).
export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  // English starts empty and is filled by `loadEnglish`; typed as Chinese, which every English file satisfies.
  messages: { 'zh-CN': zhCN, 'en': {} as typeof zhCN },
})

let english: Promise<void> | undefined

/** Every screen's English strings (client/locales/english.ts), fetched once. */
function loadEnglish(): Promise<void> {
  english ??= import('../locales/english.ts').then(({ default: all }) => {
    for (const messages of all)
      i18n.global.mergeLocaleMessage('en', messages)
  }).catch((e: unknown) => {
    english = undefined
    throw e
  })
  return english
}

const mergedStrings = new WeakSet<object>()

/**
 * Adds a screen's or a domain's Chinese strings to the one i18n instance, once: each loads them when it first
 * shows, so the wall never downloads the desk's or the phone's. Their English comes with every other screen's
 * when English is chosen.
 */
export function mergeStrings(zhCN: Record<string, unknown>): void {
  if (mergedStrings.has(zhCN))
    return
  mergedStrings.add(zhCN)
  i18n.global.mergeLocaleMessage('zh-CN', zhCN)
}

let wanted: Locale = 'zh-CN'

/**
 * Switches the UI language and remembers it on this screen. English is shown only once its strings have arrived,
 * so no key flashes up untranslated; if they cannot be fetched the screen stays in Chinese.
 */
export async function setLocale(locale: Locale): Promise<void> {
  wanted = locale
  localStorage.setItem(STORAGE_KEY, locale)
  if (locale === 'en')
    await loadEnglish()
  // A later choice made while English was on its way wins.
  if (wanted !== locale)
    return
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
}

let booting: Promise<void> = Promise.resolve()

/** Settles once the language asked for (`?lang=`, or this screen's last choice) can be shown: mount after it. */
export const ready = (): Promise<void> => booting

export function install(app: App): void {
  document.documentElement.lang = 'zh-CN'
  app.use(i18n)
  const asked = askedLocale()
  if (asked !== 'zh-CN')
    booting = setLocale(asked).catch(() => {})
}
