import { beforeEach, describe, expect, it, vi } from 'vitest'

type I18nModule = typeof import('../../../client/modules/i18n.ts')

/** A fresh i18n module on a screen whose address and storage say `asked`. */
async function screen(asked: { query?: string, stored?: string } = {}): Promise<I18nModule> {
  const stored = new Map<string, string>(asked.stored ? [['onescreen.locale', asked.stored]] : [])
  vi.stubGlobal('location', { search: asked.query ?? '' })
  vi.stubGlobal('localStorage', { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => stored.set(k, v) })
  // Enough of a document for Vue's DOM runtime to load and for the module to set <html lang>.
  vi.stubGlobal('document', { documentElement: { lang: '' }, createElement: () => ({}) })
  vi.resetModules()
  return import('../../../client/modules/i18n.ts')
}

const fakeApp = { use: () => fakeApp } as unknown as Parameters<I18nModule['install']>[0]

describe('locale switch', () => {
  beforeEach(() => {
    vi.unstubAllGlobals()
  })

  it('starts in Chinese without fetching the English strings', async () => {
    const m = await screen()
    m.install(fakeApp)
    await m.ready()
    expect(m.i18n.global.locale.value).toBe('zh-CN')
    expect(m.i18n.global.t('app.title')).toBe('基层治理指挥中心')
    expect(Object.keys(m.i18n.global.getLocaleMessage('en'))).toEqual([])
  })

  it('shows English only once every screen\'s English strings are in', async () => {
    const m = await screen()
    m.install(fakeApp)
    const switching = m.setLocale('en')
    expect(m.i18n.global.locale.value).toBe('zh-CN')
    await switching
    expect(m.i18n.global.locale.value).toBe('en')
    expect(m.i18n.global.t('app.title')).toBe('Command Center')
    // A screen's strings merged in Chinese have their English already (phone, from client/locales/phone.en.ts).
    expect(m.i18n.global.t('phone.leaderTitle')).toBe('Leader view')
    expect(document.documentElement.lang).toBe('en')
  })

  it('opens in English when the screen last chose it, before anything is mounted', async () => {
    const m = await screen({ stored: 'en' })
    m.install(fakeApp)
    await m.ready()
    expect(m.i18n.global.locale.value).toBe('en')
    expect(m.i18n.global.t('conn.connected')).toBe('Live')
  })

  it('keeps the later choice when Chinese is chosen while English is on its way', async () => {
    const m = await screen({ query: '?lang=zh-CN' })
    m.install(fakeApp)
    const english = m.setLocale('en')
    await m.setLocale('zh-CN')
    await english
    expect(m.i18n.global.locale.value).toBe('zh-CN')
    expect(localStorage.getItem('onescreen.locale')).toBe('zh-CN')
  })
})
