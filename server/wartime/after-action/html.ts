import type { AfterActionReport, Reached } from '../../../shared/wartime/after-action.ts'
import { localIso } from '../../../shared/kernel/time.ts'
import { figureLines } from '../../../shared/wartime/after-action.ts'

// Reports as one self-contained HTML page: no scripts, no external assets (command halls sit on closed networks),
// every piece of text escaped. The after-action report and the storm drill's report (server/drill/html.ts) share it.

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }
export const escapeHtml = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, c => ESC[c]!)

export function htmlTable(head: string[], body: unknown[][], rowClass: (i: number) => string = () => ''): string {
  const th = head.map(h => `<th>${escapeHtml(h)}</th>`).join('')
  const trs = body.map((cells, i) => `<tr class="${escapeHtml(rowClass(i))}">${cells.map(c => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`
}

export interface ChartSeries { label: string, colour: string, times: number[] }

/** Cumulative counts over time since a start (ms), one step line per series, as inline SVG. */
export function cumulativeChart(series: ChartSeries[], total: number, fmt: (ms: number) => string): string {
  const maxMs = Math.max(1000, ...series.flatMap(s => s.times))
  const W = 760
  const H = 220
  const x = (ms: number) => 40 + (ms / maxMs) * (W - 60)
  const y = (n: number) => H - 30 - (n / Math.max(1, total)) * (H - 50)
  const paths = series.map(({ label, colour, times }, i) => {
    const sorted = [...times].sort((a, b) => a - b)
    const pts = [`${x(0)},${y(0)}`, ...sorted.flatMap((t, k) => [`${x(t)},${y(k)}`, `${x(t)},${y(k + 1)}`])]
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.join(' ')}"/><text x="${W - 150}" y="${H - 100 + i * 16}" fill="${colour}" font-size="12">${escapeHtml(label)} ${sorted.length}</text>`
  })
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="累计曲线">
<line x1="40" y1="${H - 30}" x2="${W - 20}" y2="${H - 30}" stroke="#999"/><line x1="40" y1="10" x2="40" y2="${H - 30}" stroke="#999"/>
<text x="40" y="${H - 10}" font-size="12">${escapeHtml(fmt(0))}</text><text x="${W - 80}" y="${H - 10}" font-size="12">${escapeHtml(fmt(maxMs))}</text>
<text x="4" y="${y(total) + 4}" font-size="12">${total}</text>
${paths.join('\n')}
</svg>`
}

/** The page around a report's sections, with the house style (print-friendly, no assets). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:"Noto Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#111;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:2px solid #c00;padding-bottom:4px}
table{border-collapse:collapse;font-size:13px;width:100%}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}
th{background:#f3f3f3}tr.escalated td{background:#fff7e6}tr.lost td,tr.silent td{background:#fde2e2;font-weight:bold}
.ok{color:#15803d;font-weight:bold}.bad{color:#b91c1c;font-weight:bold}ul{line-height:1.7}
.exercise{display:inline-block;padding:2px 10px;border:2px solid #b45309;color:#b45309;font-weight:bold}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`
}

export const REACHED: Record<Reached, string> = { sent: '已下发', delivered: '已送达', acknowledged: '已确认', on_scene: '已到场', done: '已完成' }
/** Shanghai wall-clock time of an ISO instant, or a dash. */
export const local = (iso: string | null) => (iso ? localIso(iso).replace('T', ' ').slice(0, 19) : '—')
const dash = (v: unknown) => (v === null || v === undefined ? '—' : String(v))

export function renderReportHtml(r: AfterActionReport): string {
  const f = r.figures
  const title = `${r.exercise ? '演练' : '战时'}复盘报告 · ${r.plan?.name ?? r.reason}`
  const start = Date.parse(r.activatedAt ?? r.declaredAt)
  const since = (pick: (x: AfterActionReport['responders'][number]) => string | null) => r.responders.map(pick).filter((v): v is string => v !== null).map(v => Date.parse(v) - start)
  const chart = cumulativeChart([
    { label: '送达', colour: '#2563eb', times: since(x => x.deliveredAt) },
    { label: '确认', colour: '#16a34a', times: since(x => x.ackAt) },
    { label: '到场', colour: '#d97706', times: since(x => x.onSceneAt) },
    { label: '完成', colour: '#7c3aed', times: since(x => x.doneAt) },
  ], r.responders.length, ms => `${(ms / 60_000).toFixed(1)} 分钟`)
  const silent = new Set(f.silent)
  const responders = htmlTable(
    ['姓名', '任务', '网格', '下发', '送达', '确认', '到场', '完成', '确认用时(分)', '重发', '升级至', '渠道', '进展'],
    r.responders.map(x => [x.name, x.title, x.grid, local(x.sentAt), local(x.deliveredAt), local(x.ackAt), local(x.onSceneAt), local(x.doneAt), dash(x.ackMinutes), x.resends, x.escalatedTo.join('、'), x.channels.join(' → '), REACHED[x.reached]]),
    i => (silent.has(r.responders[i]!.name) && !r.responders[i]!.ackAt ? 'silent' : r.responders[i]!.escalatedTo.length ? 'escalated' : ''),
  )
  const resources = r.resources.length
    ? htmlTable(['物资', '预案数量', '发放', '归还', '说明'], r.resources.map(x => [x.item, dash(x.planned), x.issued, x.returned, x.note]))
    : '<p>无记录。</p>'
  const moves = r.moves.length ? htmlTable(['时间', '类型', '物资', '数量', '地点'], r.moves.map(m => [local(m.at), m.kind, m.item, m.qty, m.place])) : ''
  return htmlPage(title, `${r.exercise ? '<p class="exercise">演练 EXERCISE</p>' : ''}
<p>${escapeHtml(`宣布 ${local(r.declaredAt)}，启动 ${local(r.activatedAt)}，结束 ${local(r.endedAt)}（北京时间），作战编号 ${r.operationId}`)}</p>
<p class="${f.silent.length === 0 ? 'ok' : 'bad'}">${escapeHtml(f.silent.length === 0 ? '每名人员均已确认。' : `${f.silent.length} 人始终未确认。`)}</p>
<h2>关键数据</h2>
<ul>${figureLines(r).map(l => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<h2>累计曲线（启动后）</h2>
${chart}
<h2>时间线</h2>
${htmlTable(['时间', '事件'], r.timeline.map(e => [local(e.at), e.text]))}
<h2>每名人员（${r.responders.length} 条任务）</h2>
${responders}
<h2>风险点覆盖</h2>
<p>${escapeHtml(`已确认 ${f.coverage.acknowledged}/${f.coverage.total}，已到场 ${f.coverage.onScene}/${f.coverage.total}${f.coverage.uncovered.length ? `；未覆盖：${f.coverage.uncovered.join('、')}` : ''}`)}</p>
<h2>物资使用</h2>
${resources}
${moves}`)
}
