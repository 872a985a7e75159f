import type { DrillReport } from './report.ts'
import ExcelJS from 'exceljs'
import { RESPONDER_SHEET, addSheet as sheet } from '../wartime/after-action/xlsx.ts'
import { TEMPER_LABEL } from './behaviour.ts'
import { summaryLines } from './report.ts'

// The after-action workbook: every responder's times (one row per task), the timeline, the figures.

export { RESPONDER_SHEET }

const s = (ms: number | null) => (ms == null ? null : Math.round(ms) / 1000)
const OUTCOME = { acknowledged: '已确认', escalated: '已升级', lost: '遗漏' } as const

export async function renderXlsx(r: DrillReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'OneScreen 演练'
  wb.created = new Date(r.endedAt)
  sheet(wb, RESPONDER_SHEET, [
    ['姓名', 12],
    ['人员编号', 14],
    ['任务', 20],
    ['网格', 16],
    ['设定', 10],
    ['下发时间(服务器)', 24],
    ['送达(秒)', 9],
    ['确认(秒)', 9],
    ['到场(秒)', 9],
    ['完成(秒)', 9],
    ['重发(秒)', 9],
    ['重发次数', 9],
    ['升级(秒)', 9],
    ['升级通知', 20],
    ['送达(服务器)', 24],
    ['确认(服务器)', 24],
    ['到场(服务器)', 24],
    ['完成(服务器)', 24],
    ['结束前状态', 10],
    ['结论', 10],
    ['问题', 24],
    ['任务编号', 40],
  ], r.rows.map(x => [
    x.name,
    x.personId,
    x.title,
    x.gridName,
    TEMPER_LABEL[x.temper],
    x.sentAt,
    s(x.deliveredMs),
    s(x.ackMs),
    s(x.onSceneMs),
    s(x.doneMs),
    s(x.resentMs),
    x.resends,
    s(x.escalatedMs),
    x.escalatedTo.join('、'),
    x.serverDeliveredAt,
    x.serverAckAt,
    x.serverOnSceneAt,
    x.serverDoneAt,
    x.finalState,
    OUTCOME[x.outcome],
    x.problem,
    x.taskId,
  ]))
  sheet(wb, '时间线', [['时间', 24], ['相对点击(秒)', 12], ['来源', 10], ['事件', 80]], r.timeline.map(e => [e.at, s(e.ms), e.source === 'operation' ? '作战记录' : '演练', e.text]))
  sheet(wb, '关键数据', [['项目', 100]], summaryLines(r).map(l => [l]))
  return Buffer.from(await wb.xlsx.writeBuffer())
}
