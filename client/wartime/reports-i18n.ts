import type { InfoReport } from '../../shared/inforeport/schema.ts'
import zhCN from '../locales/inforeport.zh-CN.ts'
import { i18n, mergeStrings } from '../modules/i18n.ts'

/** Adds the information reports' strings when the wall's clocks or the desk's view load. */
export const installReportStrings = (): void => mergeStrings(zhCN)

/** 初报, 续报 2, 终报 in the screen's language. */
export const reportLabel = (r: Pick<InfoReport, 'kind' | 'number'>): string => i18n.global.t(`inforeport.kind.${r.kind}`, { n: r.number })
