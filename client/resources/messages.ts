import resourcesZhCN from '../locales/resources.zh-CN.ts'
import { mergeStrings } from '../modules/i18n.ts'

/** Adds the resources strings when a resources component loads. */
export const installResourcesMessages = (): void => mergeStrings(resourcesZhCN)
