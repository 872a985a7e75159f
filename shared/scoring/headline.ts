import type { HeadlineFigure } from './schema.ts'
import { addMonths } from '../kernel/time.ts'
import { yearOnYearChange } from '../stats/figures.ts'

// The monthly report's headline figures, each computed from recorded history and shipped with its definition.
// A figure the system does not record is reported as null with the reason, never estimated.

export interface HeadlineCounts {
  month: string
  /** Distinct incidents with a step into 'closed' recorded in the month. */
  closed: number
  /** The same over the 12 months ending with this one. */
  closed12: number
  /** Of `closed`: severity I or II (urgent). */
  urgentClosed: number
  /** Incidents reported in the month / the same month a year earlier, by category code. */
  reported: Record<string, number>
  reportedLastYear: Record<string, number>
}

function yearOnYear(c: HeadlineCounts, key: string, code: string, label: string): HeadlineFigure {
  const value = c.reported[code] ?? 0
  const lastYear = c.reportedLastYear[code] ?? 0
  return {
    key,
    label,
    value,
    unit: '件',
    lastYear,
    change: yearOnYearChange(value, lastYear),
    definition: `本月上报的「${label}」类事件数（类别代码 ${code}，按上报时间、重庆时间自然月），与上年同月（${addMonths(c.month, -12)}）相比的变化率 = (本月 − 上年同月) ÷ 上年同月；上年同月为 0 时不计算。Incidents of category ${code} reported in the month vs the same month a year earlier.`,
  }
}

export function headlineFigures(c: HeadlineCounts): HeadlineFigure[] {
  return [
    {
      key: 'closed',
      label: '办结群众问题',
      value: c.closed,
      unit: '件',
      definition: '本月内有「结案」记录（状态进入 closed：回访满意或直接结案）的不同事件数；被退回或重新打开后再次结案的只计一次。Distinct incidents with a recorded step into closed in the month.',
    },
    {
      key: 'closed12',
      label: '近12个月办结问题',
      value: c.closed12,
      unit: '件',
      definition: `${addMonths(c.month, -11)} 至 ${c.month} 共 12 个月内有结案记录的不同事件数（对应“一年办结 3148 件”口径）。Distinct incidents closed in the 12 months ending with this one.`,
    },
    {
      key: 'urgentClosed',
      label: '办结急难问题',
      value: c.urgentClosed,
      unit: '件',
      definition: '本月办结事件中严重等级为 I 级或 II 级（severity 1–2）的件数。Incidents closed in the month with severity I or II.',
    },
    yearOnYear(c, 'propertyYoY', 'property_dispute', '物业纠纷'),
    yearOnYear(c, 'petitionYoY', 'petition', '信访诉求'),
    {
      key: 'outreachTalks',
      label: '走访谈心',
      value: null,
      unit: '次',
      definition: '系统尚无走访谈心（外联谈话）记录类型，无法统计；不填估算值。Outreach talks are not recorded by the system yet: not available, never estimated.',
    },
  ]
}
