import type { DrillReport, ResponderRow } from './report.ts'
import { sec, summaryLines } from './report.ts'

// The after-action report as one self-contained HTML page: no scripts, no external assets (command halls
// sit on closed networks), every piece of text escaped.

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }
export const escapeHtml = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, c => ESC[c]!)

const TEMPER = { prompt: '及时', late: '重发后应答', silent: '不应答' } as const
const OUTCOME = { acknowledged: '已确认', escalated: '已升级', lost: '遗漏' } as const
const STATE: Record<string, string> = { sent: '已下发', delivered: '已送达', acknowledged: '已确认', on_scene: '已到场', done: '已完成', cancelled: '已取消', missing: '缺失' }

/** Cumulative delivered / acknowledged / on scene / done over seconds since the click, as inline SVG. */
function chart(rows: ResponderRow[]): string {
  const series: [string, string, (r: ResponderRow) => number | null][] = [
    ['送达', '#2563eb', r => r.deliveredMs],
    ['确认', '#16a34a', r => r.ackMs],
    ['到场', '#d97706', r => r.onSceneMs],
    ['完成', '#7c3aed', r => r.doneMs],
  ]
  const all = rows.flatMap(r => series.map(s => s[2](r))).filter((v): v is number => v !== null)
  const maxMs = Math.max(1000, ...all)
  const W = 760
  const H = 220
  const x = (ms: number) => 40 + (ms / maxMs) * (W - 60)
  const y = (n: number) => H - 30 - (n / Math.max(1, rows.length)) * (H - 50)
  const paths = series.map(([label, colour, f], i) => {
    const times = rows.map(f).filter((v): v is number => v !== null).sort((a, b) => a - b)
    const pts = [`${x(0)},${y(0)}`, ...times.flatMap((t, k) => [`${x(t)},${y(k)}`, `${x(t)},${y(k + 1)}`])]
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.join(' ')}"/><text x="${W - 150}" y="${H - 100 + i * 16}" fill="${colour}" font-size="12">${escapeHtml(label)} ${times.length}</text>`
  })
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="累计曲线">
<line x1="40" y1="${H - 30}" x2="${W - 20}" y2="${H - 30}" stroke="#999"/><line x1="40" y1="10" x2="40" y2="${H - 30}" stroke="#999"/>
<text x="40" y="${H - 10}" font-size="12">0 秒</text><text x="${W - 80}" y="${H - 10}" font-size="12">${escapeHtml(sec(maxMs))} 秒</text>
<text x="4" y="${y(rows.length) + 4}" font-size="12">${rows.length}</text>
${paths.join('\n')}
</svg>`
}

function table(head: string[], body: unknown[][], rowClass: (i: number) => string = () => ''): string {
  const th = head.map(h => `<th>${escapeHtml(h)}</th>`).join('')
  const trs = body.map((cells, i) => `<tr class="${escapeHtml(rowClass(i))}">${cells.map(c => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`
}

export function renderHtml(r: DrillReport): string {
  const f = r.figures
  const rows = [...r.rows].sort((a, b) => (a.deliveredMs ?? Infinity) - (b.deliveredMs ?? Infinity))
  const responders = table(
    ['姓名', '任务', '网格', '设定', '送达(秒)', '确认(秒)', '到场(秒)', '完成(秒)', '重发(秒)', '升级(秒)', '升级通知', '最终状态', '结论'],
    rows.map(x => [x.name, x.title, x.gridName, TEMPER[x.temper], sec(x.deliveredMs), sec(x.ackMs), sec(x.onSceneMs), sec(x.doneMs), sec(x.resentMs), sec(x.escalatedMs), x.escalatedTo.join('、'), STATE[x.finalState] ?? x.finalState, x.problem ? `${OUTCOME[x.outcome]}：${x.problem}` : OUTCOME[x.outcome]]),
    i => rows[i]!.outcome,
  )
  const timeline = table(['时间', '相对点击(秒)', '来源', '事件'], r.timeline.map(e => [e.at.replace('T', ' ').slice(0, 19), e.ms === null ? '' : sec(e.ms), e.source === 'operation' ? '作战记录' : '演练', e.text]))
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`演练复盘报告 · ${r.plan.name}`)}</title>
<style>
body{font-family:"Noto Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#111;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:2px solid #c00;padding-bottom:4px}
table{border-collapse:collapse;font-size:13px;width:100%}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}
th{background:#f3f3f3}tr.escalated td{background:#fff7e6}tr.lost td{background:#fde2e2;font-weight:bold}
.ok{color:#15803d;font-weight:bold}.bad{color:#b91c1c;font-weight:bold}ul{line-height:1.7}
</style></head><body>
<h1>${escapeHtml(`演练复盘报告 · ${r.plan.name}`)}</h1>
<p>${escapeHtml(`${r.startedAt.replace('T', ' ').slice(0, 19)} — ${r.endedAt.replace('T', ' ').slice(0, 19)}（UTC），作战编号 ${r.operationId ?? '—'}，服务器 ${r.url}`)}</p>
<p class="${f.lost.length === 0 && r.errors.length === 0 ? 'ok' : 'bad'}">${escapeHtml(f.lost.length === 0 ? '无任务遗漏：每条任务均已送达并确认，或已升级。' : `遗漏 ${f.lost.length} 条任务。`)}</p>
<h2>关键数据</h2>
<ul>${summaryLines(r).map(l => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<h2>累计曲线（点击后秒数）</h2>
${chart(r.rows)}
<h2>时间线</h2>
${timeline}
<h2>每名人员（${r.rows.length} 条任务）</h2>
<p>${escapeHtml('相对时间按演练端时钟、自点击起算；“设定”为模拟人员的应答习惯。')}</p>
${responders}
</body></html>
`
}
