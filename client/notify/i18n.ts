import notifyZhCN from '../locales/notify.zh-CN.ts'
import { mergeStrings } from '../modules/i18n.ts'

/** Adds the ladder's strings when a component of this folder loads. */
export const installNotifyStrings = (): void => mergeStrings(notifyZhCN)
