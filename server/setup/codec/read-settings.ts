import type { SourceCrs } from '../../../shared/setup/package.ts'
import type { Subdistrict } from '../../../shared/territory/types.ts'
import type { ReadContext } from './read-context.ts'
import type { Row } from './table.ts'
import { SOURCE_CRS } from '../../../shared/setup/package.ts'
import { LAT, LON } from './cells.ts'
import { parseCrs } from './crs.ts'
import { REQUIRED_SETTINGS, SETTINGS } from './layout.ts'

// The 街道 sheet: one setting per row, 项目 (the Chinese label or the English key) and 值.

export interface Settings { subdistrict: Subdistrict, headline: string[], crs: SourceCrs | undefined }

export function readSettings(ctx: ReadContext): Settings | null {
  const r = ctx.sheet('settings')
  if (!r || !r.ok)
    return null
  const rows = new Map<string, Row>()
  for (const row of r.rows) {
    const label = r.text(row, 'key')
    const key = Object.keys(SETTINGS).find(k => k === label || SETTINGS[k] === label)
    if (key === undefined)
      r.problem(row, 'key', label, 'bad_value', `未知的设置项“${label}”`, `unknown setting "${label}"`)
    else
      rows.set(key, row)
  }
  for (const key of REQUIRED_SETTINGS) {
    if (!rows.has(key) || r.text(rows.get(key)!, 'value') === '') {
      const at = rows.get(key)
      ctx.problems.push({ file: r.table.file, sheet: r.table.sheet, ...(at ? { row: at.row, column: r.headers.value } : {}), id: SETTINGS[key]!, code: 'missing_value', reason: `缺少设置项“${SETTINGS[key]}”`, reasonEn: `missing setting "${key}"` })
    }
  }
  const text = (key: string): string => (rows.has(key) ? r.text(rows.get(key)!, 'value', SETTINGS[key]) : '')
  const num = (key: string, range = {}): number => (rows.has(key) ? r.num(rows.get(key)!, 'value', SETTINGS[key]!, range) ?? Number.NaN : Number.NaN)
  const list = (key: string): string[] => (rows.has(key) ? r.list(rows.get(key)!, 'value') : [])

  const format = num('format')
  if (rows.has('format') && Number.isFinite(format) && format !== 1)
    r.problem(rows.get('format')!, 'value', SETTINGS.format!, 'bad_format', `不支持的格式版本 ${format}（支持 1）`, `unsupported package format ${format} (this reader knows 1)`)
  let crs: SourceCrs | undefined
  if (text('crs')) {
    crs = parseCrs(text('crs'))
    if (!crs)
      r.problem(rows.get('crs')!, 'value', SETTINGS.crs!, 'bad_value', `未知的坐标系“${text('crs')}”（可选 ${SOURCE_CRS.join('、')}）`, `unknown coordinate system "${text('crs')}"`)
  }
  const headlineRow = rows.get('headline')
  if (headlineRow) {
    ctx.origins.sections.headline = { file: r.table.file, sheet: r.table.sheet, row: headlineRow.row }
    ctx.origins.columns.headline = { headline: r.headers.value! }
  }
  return {
    subdistrict: {
      id: text('id'),
      name: text('name'),
      nameEn: text('nameEn'),
      code: text('code'),
      center: { lon: num('centerLon', LON), lat: num('centerLat', LAT) },
      wallTitle: text('wallTitle'),
      wallTitleEn: text('wallTitleEn'),
      capAreaCodes: list('capAreaCodes'),
      capAreaNames: list('capAreaNames'),
    },
    headline: list('headline'),
    crs,
  }
}
