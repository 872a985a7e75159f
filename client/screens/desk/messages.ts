import deskEn from '../../locales/desk.en.ts'
import deskZhCN from '../../locales/desk.zh-CN.ts'
import { i18n } from '../../modules/i18n.ts'

// The desk's strings join the one i18n instance when the desk loads, so the wall never downloads them.

let merged = false

/** Adds the desk strings to the app's i18n once; called by the desk page on load. */
export function installDeskMessages(): void {
  if (merged)
    return
  merged = true
  i18n.global.mergeLocaleMessage('zh-CN', deskZhCN)
  i18n.global.mergeLocaleMessage('en', deskEn)
}
