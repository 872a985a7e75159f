import phoneEn from '../../locales/phone.en.ts'
import phoneZhCN from '../../locales/phone.zh-CN.ts'
import { i18n } from '../../modules/i18n.ts'

// The phone views' strings live in client/locales/ beside the wall's and join the one i18n instance when a phone
// page loads, so the wall never downloads them.

let merged = false

/** Adds the phone strings to the app's i18n once; called by the phone pages on load. */
export function installPhoneMessages(): void {
  if (merged)
    return
  merged = true
  i18n.global.mergeLocaleMessage('zh-CN', phoneZhCN)
  i18n.global.mergeLocaleMessage('en', phoneEn)
}
