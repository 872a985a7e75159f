import setupZhCN from '../../locales/setup.zh-CN.ts'
import { mergeStrings } from '../../modules/i18n.ts'

export const installSetupStrings = (): void => mergeStrings(setupZhCN)
