import type { AfterActionReport } from '../../../shared/wartime/after-action.ts'
import ExcelJS from 'exceljs'
import { figureLines } from '../../../shared/wartime/after-action.ts'
import { local, REACHED } from './html.ts'

// The after-action workbook: one row per responder's task, the timeline, the figures, the resources. The storm
// drill's workbook (server/drill/xlsx.ts) is laid out with the same sheet helper.

export const RESPONDER_SHEET = '人员时间'

/** A sheet with a bold, frozen header row. */
export function addSheet(wb: ExcelJS.Workbook, name: string, columns: [string, number][], rows: unknown[][]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = columns.map(([header, width]) => ({ header, width }))
  ws.getRow(1).font = { bold: true }
  for (const r of rows) ws.addRow(r)
}

/** The responder sheet's columns, in order (a test reads the workbook back by them). */
export const RESPONDER_COLUMNS: [string, number][] = [
  ['姓名', 12],
  ['人员编号', 14],
  ['任务', 24],
  ['网格', 16],
  ['下发', 20],
  ['送达', 20],
  ['确认', 20],
  ['到场', 20],
  ['完成', 20],
  ['确认用时(分)', 12],
  ['到场用时(分)', 12],
  ['重发次数', 9],
  ['升级至', 20],
  ['通知渠道', 16],
  ['进展', 10],
  ['任务编号', 40],
]

export async function renderReportXlsx(r: AfterActionReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'OneScreen 一屏统揽'
  wb.created = new Date(r.endedAt ?? r.declaredAt)
  addSheet(wb, RESPONDER_SHEET, RESPONDER_COLUMNS, r.responders.map(x => [
    x.name,
    x.personId,
    x.title,
    x.grid,
    local(x.sentAt),
    local(x.deliveredAt),
    local(x.ackAt),
    local(x.onSceneAt),
    local(x.doneAt),
    x.ackMinutes,
    x.onSceneMinutes,
    x.resends,
    x.escalatedTo.join('、'),
    x.channels.join(' → '),
    REACHED[x.reached],
    x.taskId,
  ]))
  addSheet(wb, '时间线', [['时间', 22], ['类型', 14], ['事件', 80]], r.timeline.map(e => [local(e.at), e.kind, e.text]))
  addSheet(wb, '关键数据', [['项目', 100]], [...(r.exercise ? [['演练 EXERCISE']] : []), ...figureLines(r).map(l => [l])])
  addSheet(wb, '物资', [['物资', 16], ['预案数量', 10], ['发放', 10], ['归还', 10], ['说明', 40]], r.resources.map(x => [x.item, x.planned, x.issued, x.returned, x.note]))
  if (r.moves.length)
    addSheet(wb, '物资变动', [['时间', 22], ['类型', 10], ['物资', 16], ['数量', 10], ['地点', 24]], r.moves.map(m => [local(m.at), m.kind, m.item, m.qty, m.place]))
  return Buffer.from(await wb.xlsx.writeBuffer())
}
