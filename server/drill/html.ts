import type { DrillReport } from './report.ts'
import { cumulativeChart, escapeHtml, htmlPage, htmlTable } from '../wartime/after-action/html.ts'
import { TEMPER_LABEL } from './behaviour.ts'
import { sec, summaryLines } from './report.ts'

// The drill's report as one self-contained HTML page, in the after-action report's frame.

const OUTCOME = { acknowledged: '已确认', escalated: '已升级', lost: '遗漏' } as const
const STATE: Record<string, string> = { sent: '已下发', delivered: '已送达', acknowledged: '已确认', on_scene: '已到场', done: '已完成', cancelled: '已取消', missing: '缺失' }

export function renderHtml(r: DrillReport): string {
  const f = r.figures
  const rows = [...r.rows].sort((a, b) => (a.deliveredMs ?? Infinity) - (b.deliveredMs ?? Infinity))
  const responders = htmlTable(
    ['姓名', '任务', '网格', '设定', '送达(秒)', '确认(秒)', '到场(秒)', '完成(秒)', '重发(秒)', '升级(秒)', '升级通知', '最终状态', '结论'],
    rows.map(x => [x.name, x.title, x.gridName, TEMPER_LABEL[x.temper], sec(x.deliveredMs), sec(x.ackMs), sec(x.onSceneMs), sec(x.doneMs), sec(x.resentMs), sec(x.escalatedMs), x.escalatedTo.join('、'), STATE[x.finalState] ?? x.finalState, x.problem ? `${OUTCOME[x.outcome]}：${x.problem}` : OUTCOME[x.outcome]]),
    i => rows[i]!.outcome,
  )
  const timeline = htmlTable(['时间', '相对点击(秒)', '来源', '事件'], r.timeline.map(e => [e.at.replace('T', ' ').slice(0, 19), e.ms === null ? '' : sec(e.ms), e.source === 'operation' ? '作战记录' : '演练', e.text]))
  return htmlPage(`演练复盘报告 · ${r.plan.name}`, `<p>${escapeHtml(`${r.startedAt.replace('T', ' ').slice(0, 19)} — ${r.endedAt.replace('T', ' ').slice(0, 19)}（UTC），作战编号 ${r.operationId ?? '—'}，服务器 ${r.url}`)}</p>
<p class="${f.lost.length === 0 && r.errors.length === 0 ? 'ok' : 'bad'}">${escapeHtml(f.lost.length === 0 ? '无任务遗漏：每条任务均已送达并确认，或已升级。' : `遗漏 ${f.lost.length} 条任务。`)}</p>
<h2>关键数据</h2>
<ul>${summaryLines(r).map(l => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<h2>累计曲线（点击后秒数）</h2>
${cumulativeChart([
  { label: '送达', colour: '#2563eb', times: r.rows.flatMap(x => x.deliveredMs ?? []) },
  { label: '确认', colour: '#16a34a', times: r.rows.flatMap(x => x.ackMs ?? []) },
  { label: '到场', colour: '#d97706', times: r.rows.flatMap(x => x.onSceneMs ?? []) },
  { label: '完成', colour: '#7c3aed', times: r.rows.flatMap(x => x.doneMs ?? []) },
], r.rows.length, ms => `${sec(ms)} 秒`)}
<h2>时间线</h2>
${timeline}
<h2>每名人员（${r.rows.length} 条任务）</h2>
<p>${escapeHtml('相对时间按演练端时钟、自点击起算；“设定”为模拟人员的应答习惯。')}</p>
${responders}`)
}
