import type ExcelJS from 'exceljs'
import type { ScoringConfig } from '../../shared/scoring/config.ts'
import type { MonthResult, UnitRank, WorkerScore } from '../../shared/scoring/schema.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import { REPORT_FIELD_LABELS } from '../../shared/scoring/config.ts'

// The monthly evaluation (月度考评) as a workbook and as CSV, from a month's result (frozen or live). Both
// carry the same score table; the workbook adds rankings, the headline figures with their definitions, and
// the method (weights, targets, tiers, tie rule), so a printed copy explains itself.

type Cell = string | number | null
interface Column { header: string, width: number, value: (s: WorkerScore) => Cell }

const dim = (s: WorkerScore, key: string) => s.dimensions.find(d => d.key === key)?.score ?? null
const signed = (n: number | null) => (n === null ? null : n)

function columns(ref: ReferenceData): Column[] {
  const community = new Map(ref.territory.communities.map(c => [c.id, c.name]))
  const grid = new Map(ref.territory.grids.map(g => [g.id, g.name]))
  return [
    { header: '排名 Rank', width: 8, value: s => s.rank },
    { header: '网格员 Name', width: 10, value: s => s.name },
    { header: '人员编号 Person id', width: 12, value: s => s.personId },
    { header: '社区 Community', width: 12, value: s => (s.communityId ? community.get(s.communityId) ?? s.communityId : null) },
    { header: '网格 Grids', width: 16, value: s => s.gridIds.map(g => grid.get(g) ?? g).join('、') },
    { header: '信息完整度 Completeness', width: 12, value: s => dim(s, 'completeness') },
    { header: '活跃度 Activity', width: 10, value: s => dim(s, 'activity') },
    { header: '完成率 Completion', width: 10, value: s => dim(s, 'completion') },
    { header: '总分 Total', width: 9, value: s => s.total },
    { header: '等级 Tier', width: 8, value: s => s.tier.name },
    { header: '上月排名 Last rank', width: 10, value: s => s.previousRank },
    { header: '名次变化 Rank change', width: 10, value: s => signed(s.rankChange) },
    { header: '总分变化 Total change', width: 10, value: s => signed(s.totalChange) },
    { header: '上报 Reports', width: 8, value: s => s.inputs.reports },
    { header: '上报字段齐全/检查 Fields', width: 12, value: s => `${s.inputs.reportFieldsFilled}/${s.inputs.reportFieldsChecked}` },
    { header: '处置记录有说明/总数 Notes', width: 12, value: s => `${s.inputs.updatesWithNote}/${s.inputs.updates}` },
    { header: '网格信息齐全/项目 Profile', width: 12, value: s => `${s.inputs.profileItemsFilled}/${s.inputs.profileItems}` },
    { header: '巡查打卡 Patrols', width: 9, value: s => s.inputs.patrols },
    { header: '在岗天数 Active days', width: 9, value: s => s.inputs.activeDays },
    { header: '办结 Closed', width: 8, value: s => s.inputs.closed },
    { header: '按时办结 On time', width: 9, value: s => s.inputs.closedOnTime },
    { header: '月末超时未办结 Overdue at end', width: 12, value: s => s.inputs.overdueOpenAtMonthEnd },
    { header: '回访 Feedback', width: 8, value: s => s.inputs.feedback },
    { header: '满意 Satisfied', width: 8, value: s => s.inputs.satisfied },
    { header: '总分计算 Total formula', width: 44, value: s => s.formula },
    { header: '分项计算 Dimension formulas', width: 90, value: s => s.dimensions.map(d => `${d.label}: ${d.formula}`).join(' | ') },
  ]
}

/** The score table: a header row, then one row per grid worker, best first. */
export function scoreTable(result: MonthResult, ref: ReferenceData): { headers: string[], rows: Cell[][], widths: number[] } {
  const cols = columns(ref)
  return { headers: cols.map(c => c.header), rows: result.scores.map(s => cols.map(c => c.value(s))), widths: cols.map(c => c.width) }
}

/** RFC 4180 CSV with a BOM (Excel opens UTF-8 Chinese correctly) and CRLF; text that a spreadsheet would run as a formula is quoted with a leading '. */
export function monthlyCsv(result: MonthResult, ref: ReferenceData): string {
  const { headers, rows } = scoreTable(result, ref)
  const cell = (v: Cell) => {
    if (v === null)
      return ''
    if (typeof v === 'number')
      return String(v)
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
  }
  return `\uFEFF${[headers, ...rows].map(r => r.map(cell).join(',')).join('\r\n')}\r\n`
}

function unitRows(kind: string, units: UnitRank[]): Cell[][] {
  return units.map(u => [kind, u.rank, u.name, u.score, u.count, u.star ? '★' : '', u.previousRank, u.rankChange, u.formula])
}

function methodRows(result: MonthResult): Cell[][] {
  const c = result.config as ScoringConfig
  const w = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ')
  return [
    ['月份 Month', result.month],
    ['区间 Range (UTC)', `${result.from} — ${result.to}（重庆时间自然月 Asia/Shanghai calendar month）`],
    ['状态 Status', result.frozen ? `已冻结 frozen at ${result.frozenAt}` : `实时计算 live, computed at ${result.computedAt}（月末后冻结）`],
    ['口径版本 Config version', result.configVersion],
    ['维度权重 Dimension weights', w(c.weights)],
    ['信息完整度 Completeness', `${w(c.completeness.weights)}；上报检查 ${c.completeness.reportFields.map(k => REPORT_FIELD_LABELS[k]).join('、')}（描述≥${c.completeness.minDescriptionChars}字）；处置记录（${c.completeness.updateActions.join('/')}）须有说明（≥${c.completeness.minNoteChars}字）；网格信息：名称、户数、边界、驿站、指导员、包联领导、各类 N 力量联络人`],
    ['活跃度 Activity', `${w(c.activity.weights)}；月目标 targets ${w(c.activity.targets)}，达标即满分`],
    ['完成率 Completion', `${w(c.completion.weights)}；本网格 ${c.completion.loops.join('/')} 级事项：按时办结 = 本月办结且各环节均未超过时限的件数 ÷ (本月办结 + 月末仍超时未办结)；满意 = 满意回访 ÷ 回访`],
    ['无数据 No data', '某分项无可计算数据（分母为 0）时不计入，其权重按比例分给其余分项 / a part with nothing to divide by is left out and its weight spread over the others'],
    ['等级 Tiers', c.tiers.map(t => `${t.name} ≥ ${t.min}`).join('；')],
    ['并列 Ties', '总分相同依次比较完成率、活跃度、信息完整度；全部相同者名次并列（1,2,2,4），按人员编号排列 / equal totals are ordered by completion, activity, completeness; equal on all share a rank'],
    ['最佳网格员候选 Best candidates', `前 ${c.rankings.bestCandidates} 名且为最高等级（并列者均列入）`],
    ['板块/岗位之星 Stars', `按其负责事项的按时办结与满意度计分，本月办结不少于 ${c.rankings.minClosedForStar} 件方参与排名`],
  ]
}

function sheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: Cell[][], widths: number[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = headers.map((header, i) => ({ header, width: widths[i] ?? 12 }))
  ws.getRow(1).font = { bold: true }
  for (const r of rows) ws.addRow(r)
}

/** The monthly evaluation workbook: 月度考评, 排名, 核心指标, 说明. */
export async function monthlyWorkbook(result: MonthResult, ref: ReferenceData): Promise<Buffer> {
  // Loaded when a workbook is asked for: exceljs costs ~0.7 s to import, which every start would pay.
  const { default: Excel } = await import('exceljs')
  const wb = new Excel.Workbook()
  wb.creator = 'OneScreen 一屏统揽'
  wb.created = new Date(result.computedAt)
  const table = scoreTable(result, ref)
  sheet(wb, '月度考评', table.headers, table.rows, table.widths)
  const r = result.rankings
  const best = r.bestCandidates.map(b => ['最佳网格员候选', b.rank, b.name, b.total, null, b.tier.name, b.previousRank, b.rankChange, b.personId] as Cell[])
  sheet(wb, '排名', ['类别 Kind', '名次 Rank', '名称 Name', '得分 Score', '数量 Count', '之星 Star', '上月名次 Last', '变化 Change', '计算 Formula'], [
    ...unitRows('社区 Community', r.communities),
    ...unitRows('板块之星 Sector', r.sectors),
    ...unitRows('岗位之星 Post', r.posts),
    ...best,
  ], [16, 8, 16, 10, 8, 8, 10, 8, 80])
  sheet(wb, '核心指标', ['指标 Figure', '数值 Value', '单位 Unit', '上年同月 Last year', '同比 Change', '口径定义 Definition'], result.headline.map(h => [
    h.label,
    h.value ?? '暂无记录 not recorded',
    h.unit,
    h.lastYear ?? null,
    h.change === undefined || h.change === null ? null : `${(h.change * 100).toFixed(1)}%`,
    h.definition,
  ]), [18, 12, 6, 12, 10, 100])
  sheet(wb, '说明', ['项目 Item', '内容 Content'], methodRows(result), [22, 120])
  return Buffer.from(await wb.xlsx.writeBuffer())
}
