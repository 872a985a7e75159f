import type { ResponderRow, TimelineEntry } from './report.ts'
import { sec } from './report.ts'

// The drill's own events, derived after the fact from every responder's times (ms after the click).

const names = (rows: ResponderRow[], max = 8) => `${rows.slice(0, max).map(r => r.name).join('、')}${rows.length > max ? ` 等${rows.length}人` : ''}`

export function drillEvents(rows: ResponderRow[], clickAt: number, activateMs: number | null, taskCount: number): TimelineEntry[] {
  const out: TimelineEntry[] = []
  const add = (ms: number | null | undefined, text: string) => {
    if (ms != null)
      out.push({ at: new Date(clickAt + ms).toISOString(), ms, source: 'drill', text })
  }
  const times = (f: (r: ResponderRow) => number | null) => rows.map(f).filter((v): v is number => v !== null).sort((a, b) => a - b)
  add(0, '值班员一键启动预案（点击）')
  add(activateMs, `启动完成：${taskCount} 条任务已持久化并推送`)
  const delivered = times(r => r.deliveredMs)
  add(delivered[0], '首条任务送达手机')
  if (delivered.length)
    add(delivered.at(-1), `任务送达手机 ${delivered.length}/${rows.length}（最后一条 ${sec(delivered.at(-1))} 秒）`)
  const acked = times(r => r.ackMs)
  add(acked[0], '首位人员确认收到')
  if (acked.length)
    add(acked.at(-1), `应答人员全部确认：${acked.length}/${rows.length}`)
  // Re-sends and escalations happen on the server's clock ticks: one line per tick that re-sent anything.
  const resent = rows.filter(r => r.resentMs !== null).sort((a, b) => a.resentMs! - b.resentMs!)
  let tick: ResponderRow[] = []
  const flush = () => {
    if (tick.length)
      add(tick[0]!.resentMs, `超时未确认，重发 ${tick.length} 条：${names(tick)}`)
    tick = []
  }
  for (const r of resent) {
    if (tick.length && r.resentMs! - tick.at(-1)!.resentMs! > 500)
      flush()
    tick.push(r)
  }
  flush()
  for (const r of rows.filter(x => x.escalatedMs !== null))
    add(r.escalatedMs, `升级：${r.name}（${r.title}）重发后仍未确认，已通知 ${r.escalatedTo.join('、') || '指挥长'}`)
  const onScene = times(r => r.onSceneMs)
  if (onScene.length)
    add(onScene.at(-1), `应答人员全部到场：${onScene.length}`)
  const done = times(r => r.doneMs)
  if (done.length)
    add(done.at(-1), `应答人员全部完成：${done.length}`)
  return out
}
