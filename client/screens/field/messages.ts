import phoneZhCN from '../../locales/phone.zh-CN.ts'
import { mergeStrings } from '../../modules/i18n.ts'

/** Adds the phone views' strings when a phone page (leader or field) loads. */
export const installPhoneMessages = (): void => mergeStrings(phoneZhCN)
