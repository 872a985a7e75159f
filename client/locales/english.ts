// Every screen's English strings in one chunk, loaded the first time English is chosen (client/modules/i18n.ts):
// Chinese is the default, and a phone on a cell should not download a second language it may never show.
// Not a locale file itself: the build's i18n plugin leaves it out (vite.config.ts) and precompiles what it imports.
import en from './en.ts'

const screens = import.meta.glob<Record<string, unknown>>('./*.en.ts', { eager: true, import: 'default' })

export default [en, ...Object.values(screens)] as Record<string, unknown>[]
