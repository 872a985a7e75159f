import type { Delivery } from '../../shared/notify/schema.ts'
import type { Task } from '../../shared/wartime/schema.ts'
import type { TestSmsc } from '../notify/test-smsc.ts'
import type { Caller } from './api.ts'
import type { Phone, TaskTrace } from './phones.ts'
import type { DrillReport } from './report.ts'
import { reachCounts } from '../../shared/notify/ladder.ts'
import { nationalNumber } from '../notify/sms.ts'
import { createApi } from './api.ts'

// The drill's "offline" responders (#17): their phones never connect, so the app cannot reach them; the ladder's
// SMS (on the drill's loopback SMSC) can. A simulated handset per person reads its SMS and answers as its script
// says — every other one by tapping the link's 收到, the rest by replying "1". Silent people never answer.

export interface HandsetPerson { personId: string, phone: string, traces: TaskTrace[] }

export interface Handsets {
  phones: Phone[]
  /** Link taps and replies sent, for the report. */
  answers: { link: number, reply: number }
  stop: () => void
}

const LINK = /https?:\/\/\S+\/t\/[\w-]{28}/

/**
 * Starts a handset per offline person. `resendWindowMs` caps how long a prompt responder takes with an SMS (it
 * answers before the escalation); the server's view of their tasks is polled for the drill's traces.
 */
export function startHandsets(o: { url: string, smsc: TestSmsc, commander: Caller, people: HandsetPerson[], operationId: () => string | null, resendWindowMs: (templateId: string) => number, log: (line: string) => void }): Handsets {
  const api = createApi(o.url)
  const clock = () => performance.now()
  const byPhone = new Map(o.people.map(p => [nationalNumber(p.phone), p]))
  const answers = { link: 0, reply: 0 }
  const timers = new Set<NodeJS.Timeout>()
  let stopped = false
  let turn = 0

  async function answerSms(p: HandsetPerson, text: string) {
    const link = LINK.exec(text)?.[0]
    try {
      if (link && turn++ % 2 === 0) {
        // As a person would: the page opens (acknowledging nothing), then the one tap.
        await fetch(link)
        const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
        if (!res.ok)
          throw new Error(`link answered ${res.status}`)
        answers.link++
      }
      else {
        await o.smsc.reply(p.phone, '1')
        answers.reply++
      }
    }
    catch (e) {
      p.traces[0]?.errors.push(`短信应答失败：${e instanceof Error ? e.message : String(e)}`)
    }
  }

  const off = o.smsc.onMessage((m) => {
    const p = byPhone.get(m.to)
    if (!p || stopped || !LINK.test(m.text))
      return
    const open = p.traces.filter(t => t.ackAt === null && t.cancelledAt === null)
    const t = open.find(x => m.text.includes(x.last?.title.slice(0, 6) ?? '\u0000')) ?? open[0]
    if (!t)
      return
    t.pushes++
    t.receivedAt ??= clock()
    if (t.script.temper === 'silent')
      return
    const delay = Math.min(t.script.ackAfterMs, o.resendWindowMs(t.templateId) * 0.5)
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!stopped)
        void answerSms(p, m.text)
    }, delay)
    timers.add(timer)
  })

  // The server's view of these tasks: what the handset cannot see itself (acknowledged, escalated, cancelled).
  const seen = (iso: string | null) => (iso ? clock() - Math.max(0, Date.now() - Date.parse(iso)) : null)
  const poll = setInterval(() => {
    void api.get<{ tasks: Task[] }>('/api/wartime', o.commander).then(({ tasks }) => {
      for (const p of o.people) {
        for (const t of p.traces) {
          const task = tasks.find(x => x.operationId === o.operationId() && x.assigneeId === p.personId && x.templateId === t.templateId)
          if (!task)
            continue
          t.taskId = task.id
          t.last = task
          t.ackAt ??= seen(task.ackAt)
          if (task.resends > 0)
            t.resentAt ??= clock()
          if (task.escalatedTo.length > 0)
            t.escalatedAt ??= clock()
          if (task.state === 'cancelled')
            t.cancelledAt ??= clock()
        }
      }
    }, (e: unknown) => o.log(`离线手机轮询失败：${String(e)}`))
  }, 300)

  const phones: Phone[] = o.people.map(p => ({
    personId: p.personId,
    traces: p.traces,
    escalationNotices: [],
    disconnects: 0,
    finished: () => p.traces.every(t => t.ackAt !== null || t.cancelledAt !== null || (t.script.temper === 'silent' && t.escalatedAt !== null)),
    close: () => {},
  }))
  return {
    phones,
    answers,
    stop() {
      stopped = true
      off()
      clearInterval(poll)
      timers.forEach(clearTimeout)
    },
  }
}

/** The ladder's figures for the report: which channel reached each task, and the SMS answers. */
export interface ReachFigures {
  app: number
  push: number
  sms: number
  none: number
  offline: number
  links: number
  replies: number
  /** Click → the last acknowledgement of the offline responders who answer (null: some never did). */
  offlineAckedMs: number | null
}

export async function reachFigures(url: string, commander: Caller, operationId: string | null, tasks: Task[], handsets: Handsets | null, click: number): Promise<ReachFigures> {
  const deliveries = operationId ? await createApi(url).get<Delivery[]>(`/api/deliveries?operationId=${encodeURIComponent(operationId)}`, commander) : []
  const answering = (handsets?.phones ?? []).flatMap(p => p.traces).filter(t => t.script.temper !== 'silent')
  const offlineAckedMs = answering.length && answering.every(t => t.ackAt !== null) ? Math.max(...answering.map(t => t.ackAt! - click)) : null
  return { ...reachCounts(tasks, deliveries), offline: handsets?.phones.length ?? 0, links: handsets?.answers.link ?? 0, replies: handsets?.answers.reply ?? 0, offlineAckedMs }
}

/** The report's lines for the ladder: time to all acknowledged, the share each channel reached. */
export function reachLines(r: DrillReport): string[] {
  const f = r.reach
  if (!f)
    return []
  const total = f.app + f.push + f.sms + f.none
  const pct = (n: number) => `${n}（${total ? Math.round((n / total) * 100) : 0}%）`
  const lines = [`送达渠道：应用 ${pct(f.app)}，推送 ${pct(f.push)}，短信 ${pct(f.sms)}，未送达 ${pct(f.none)}`]
  if (f.offline) {
    const acked = f.offlineAckedMs === null ? '未全部确认' : `全部确认用时 ${(f.offlineAckedMs / 1000).toFixed(1)} 秒`
    lines.push(`离线人员 ${f.offline} 人（只能由短信找到）${acked}；点短信链接确认 ${f.links} 次，回复“1”确认 ${f.replies} 次`)
  }
  return lines
}
