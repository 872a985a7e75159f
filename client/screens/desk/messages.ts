import deskZhCN from '../../locales/desk.zh-CN.ts'
import { mergeStrings } from '../../modules/i18n.ts'

/** Adds the desk's strings when the desk loads. */
export const installDeskMessages = (): void => mergeStrings(deskZhCN)
