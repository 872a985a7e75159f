import { CHART_TEXT } from '../../modules/echarts.ts'

/** How a wall bar chart sets its names: beside the bars, or above them across the panel's width. */
export interface BarLabels {
  yAxisLabel: Record<string, unknown>
  barWidth: number | string
  gridTop: number
}

export interface BarLabelOptions {
  /** The Chinese names' size and column (four characters each: they fit). */
  fontSize: number
  width: number
  barWidth: string
  /** English beside the bars in a column this wide, wrapping to a second line if need be (a wide panel)… */
  enBeside?: number
  /** …or else over bars this thick, each name the panel's whole width (a narrow panel). */
  thinBar: number
  /** The names' size over the bars, and the chart's width (a name longer than that ends in an ellipsis). */
  enAbove?: number
  chartWidth?: number
}

/**
 * The catalog's English names run to 30 letters and would be cut to a word in the Chinese names' column: an English
 * wall gives them a wider column that may wrap (a wide panel), or sets each over its bar, left-aligned, with the
 * panel's whole width, the bars thinner to make the room (a narrow one).
 */
export function barLabels(zh: boolean, o: BarLabelOptions): BarLabels {
  const base = { ...CHART_TEXT, color: '#d5e3fb', interval: 0 }
  if (zh)
    return { yAxisLabel: { ...base, fontSize: o.fontSize, width: o.width, overflow: 'truncate' }, barWidth: o.barWidth, gridTop: 4 }
  const size = Math.round(o.fontSize * 0.8)
  if (o.enBeside)
    return { yAxisLabel: { ...base, fontSize: size, lineHeight: size + 2, width: o.enBeside, overflow: 'break' }, barWidth: o.barWidth, gridTop: 4 }
  const above = o.enAbove ?? size
  return {
    yAxisLabel: {
      ...base,
      fontSize: above,
      ...(o.chartWidth ? { width: o.chartWidth - 8, overflow: 'truncate' } : {}),
      inside: true,
      align: 'left',
      verticalAlign: 'bottom',
      // From the band's middle up past half the bar: the name sits just over its bar.
      padding: [0, 0, o.thinBar / 2 + 2, 0],
    },
    barWidth: o.thinBar,
    // The first name rises above its band.
    gridTop: above + 4,
  }
}
