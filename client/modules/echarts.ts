import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

// Only what the wall draws: bars and lines; axes and tooltips; the canvas renderer.
use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer])

export { init } from 'echarts/core'
export type { EChartsCoreOption, EChartsType } from 'echarts/core'

/** The wall's chart text: the bundled font, sized for the design canvas (secondary text, readable at 10 m). */
export const CHART_FONT = '\'Noto Sans SC\', \'Noto Sans CJK SC\', \'Microsoft YaHei\', sans-serif'
export const CHART_TEXT = { color: '#b8c8e6', fontFamily: CHART_FONT, fontSize: 22 }
export const CHART_COLORS = { reported: '#4fb3ff', closed: '#34d399', overdue: '#f87171', grid: 'rgba(90, 160, 255, 0.16)' }

/** Tooltip defaults: dark, large, escaped content only (see utils/escape.ts). */
export const TOOLTIP_BASE = {
  backgroundColor: 'rgba(6, 14, 30, 0.96)',
  borderColor: 'rgba(90, 160, 255, 0.5)',
  textStyle: { color: '#e6eefc', fontFamily: CHART_FONT, fontSize: 24 },
  extraCssText: 'max-width: 560px; white-space: normal;',
  confine: true,
  className: 'wall-tooltip',
} as const
