import type { Operation, Plan, Task } from '../../shared/wartime/schema.ts'
import type { TestSmsc } from '../notify/test-smsc.ts'
import type { Caller, Session } from './api.ts'
import type { Temper } from './behaviour.ts'
import type { Phone, TaskTrace } from './phones.ts'
import type { Reach } from './plan.ts'
import type { DrillReport, TimelineEntry } from './report.ts'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { resendWindowMs } from '../../shared/wartime/plans.ts'
import { createApi, pool } from './api.ts'
import { assignTempers, drillRng, scriptFor } from './behaviour.ts'
import { reachFigures, startHandsets } from './handsets.ts'
import { renderHtml } from './html.ts'
import { connectPhone, newTrace } from './phones.ts'
import { drillPlan, groupPeople, narrowPlan } from './plan.ts'
import { figures, mergeTimeline, responderRow } from './report.ts'
import { drillEvents } from './timeline.ts'
import { cancelWarning, postWarning } from './warning.ts'
import { saveAfterAction, settled, traceOf } from './watch.ts'
import { renderXlsx } from './xlsx.ts'

export interface DrillOptions {
  /** The OneScreen server, e.g. http://127.0.0.1:3000. It must run its wartime clock (the real server does). */
  url: string
  /** How many responders (tasks) to reach; default: everyone the plan reaches (156 in the Cuntan demo). */
  responders?: number
  /** Time compression: the plan's minutes ÷ speed. Default 30 (a 5-minute deadline becomes 10 s). */
  speed?: number
  seed?: string
  /** Share of responders who never answer. Default 0.08. */
  silentShare?: number
  /** Share who answer only when the task rings again (the re-send). Default 0.1. */
  lateShare?: number
  /** Directory for the HTML and XLSX report; null writes none. Default artifacts/drill. */
  out?: string | null
  log?: (line: string) => void
  /** Opens an enrolled phone's session; default POST /api/auth/device over HTTP. */
  openPhone?: (token: string) => Promise<Session>
  /** Give up waiting for answers after this long (ms after the click); default from the plan's deadlines. */
  capMs?: number
  /**
   * The accounts on a real install; absent: the demo's. The operator defaults to the commander. With an admin the
   * drill enrols simulated phones; without one the group's own phones answer and the report is the server's.
   */
  login?: { commander: Login | Caller, operator?: Login | Caller, admin?: Login | Caller }
  /** The plan to run (its id); absent: the plan a CAP warning proposes. With a plan, no warning: the drill declares directly. */
  planId?: string
  /** A chosen group of volunteers, a force unit id or a community id: only they get tasks. */
  group?: string
  /** A share of responders whose phones never connect: the ladder's SMS on this SMSC reaches them (#17). */
  offline?: { smsc: TestSmsc, share: number }
}

/** An account to sign in with; or a session already open (the wall's caller, an API key) as a `Caller`. */
export interface Login { username: string, password: string }

export type { DrillReport }

const COLOUR = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' } as const
const demo = (role: string): Login => ({ username: role, password: `demo-${role}-2026` })
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** Plays the July rainstorm against a running server, as its users would, and reports what happened. */
export async function runDrill(opts: DrillOptions): Promise<DrillReport> {
  const logins = opts.login ?? { commander: demo('commander'), operator: demo('operator'), admin: demo('admin') }
  // Real people answer in real minutes: no compression unless asked for.
  const speed = opts.speed ?? (logins.admin ? 30 : 1)
  const seed = opts.seed ?? 'july-rainstorm'
  const log = opts.log ?? (() => {})
  const api = createApi(opts.url)
  const startedAt = new Date()
  const errors: string[] = []
  const notes: string[] = []
  const events: TimelineEntry[] = []
  const note = (text: string) => {
    events.push({ at: new Date().toISOString(), ms: null, source: 'drill', text })
    log(text)
  }

  const signIn = async (l: Login | Caller | undefined): Promise<Caller | null> => (!l ? null : 'username' in l ? api.login(l.username, l.password) : l)
  const [admin, commander, chosenOperator] = await Promise.all([signIn(logins.admin), signIn(logins.commander), signIn(logins.operator)])
  const operator = chosenOperator ?? commander
  const simulated = admin !== null
  const plans = () => api.get<Plan[]>('/api/plans', commander!)

  // 1. The warning and the proposal: a person decides, here the commander, at once. A chosen plan needs no warning.
  const warning = opts.planId ? null : await postWarning(api, startedAt)
  let proposal: DrillReport['proposal'] = null
  if (warning) {
    note(`收到 CAP 预警：${warning.headline}（${COLOUR[warning.colour]}，影响 ${warning.affectedGridIds.length} 个网格）`)
    proposal = warning.proposal
    if (!proposal)
      throw new Error(`预警 ${warning.identifier} 没有给出预案建议，演练无法继续`)
    note(`系统建议：以「${proposal.planName}」宣布战时状态（待指挥长决定）`)
  }

  // 2. The drill copy of the plan, compressed by the speed and narrowed to the group or the responders asked for.
  const baseId = opts.planId ?? proposal!.planId
  const base = (await plans()).find(p => p.id === baseId)
  if (!base)
    throw new Error(opts.planId ? `所选预案 ${baseId} 不存在（或已停用）` : `建议的预案 ${baseId} 不存在`)
  const [reach, territory, reference] = await Promise.all([
    api.get<Reach[]>(`/api/plans/${encodeURIComponent(base.id)}/responders`, commander!),
    api.get<{ communities: { features: { properties: { id: string, name: string } }[] }, grids: { features: { properties: { id: string, name: string, communityId: string } }[] } }>('/api/territory', commander!),
    api.get<{ org: { people: { id: string, name: string, phone?: string }[], forceUnits: { id: string, name: string, memberIds: string[] }[] } }>('/api/reference', commander!),
  ])
  const grids = new Map(territory.grids.features.map(f => [f.properties.id, f.properties]))
  const names = new Map(reference.org.people.map(p => [p.id, p.name]))
  const grouped = opts.group
    ? groupPeople(reach, opts.group, { communityOf: id => grids.get(id)?.communityId, communities: territory.communities.features.map(f => f.properties), forceUnits: reference.org.forceUnits }, opts.responders)
    : null
  if (opts.group && !grouped)
    throw new Error(`--group ${opts.group} 既不是社区编号，也不是力量队伍编号`)
  if (grouped)
    note(`演练分组：${grouped.group.kind === 'community' ? '社区' : '队伍'}「${grouped.group.name}」，预案覆盖其中 ${new Set([...grouped.people.values()].flat()).size} 人`)
  const narrowed = grouped ? { communities: undefined, count: grouped.count } : narrowPlan(base, reach, id => grids.get(id)?.communityId, opts.responders ?? reach.length)
  const copy = drillPlan(base, speed, narrowed?.communities, grouped?.people)
  const plan = await api.put<Plan>(`/api/plans/${encodeURIComponent(copy.id)}`, commander!, copy)
  const assignments = await api.get<Reach[]>(`/api/plans/${encodeURIComponent(plan.id)}/responders`, commander!)
  if (narrowed && assignments.length !== narrowed.count)
    errors.push(`演练预案预计覆盖 ${narrowed.count} 人，服务器试算为 ${assignments.length} 人`)
  note(`演练预案「${plan.name}」就绪：${assignments.length} 条任务（预案共可覆盖 ${reach.length} 人），时限压缩 ${speed} 倍`)

  // 3. The commander decides: wartime, from the warning (or the chosen plan), declared as an exercise.
  const reason = warning ? warning.headline : `${base.name}${grouped ? `（${grouped.group.name}）` : ''}`
  const declared = await api.post<Operation>('/api/wartime/declare', commander!, { reason: `【演练】${reason}`, ...(warning ? { warningId: warning.id } : {}), planId: plan.id, exercise: true })
    .catch(async (e: unknown) => {
      // Wartime already declared (a real operation): the drill stops here and takes its warning back.
      if (warning)
        await cancelWarning(api, warning, startedAt, new Date()).catch(() => {})
      throw e
    })
  let operationId: string | null = declared.id
  let ended: Operation | null = null
  const phones: Phone[] = []
  const credentials: string[] = []
  const rng = drillRng(seed)
  const people = [...new Set(assignments.map(a => a.personId))]
  const tempers = assignTempers(people, rng, opts.silentShare ?? 0.08, opts.lateShare ?? 0.1)
  const phoneNumbers = new Map(reference.org.people.map(p => [p.id, p.phone]))
  const offline = new Set(opts.offline ? drillRng(`${seed}:offline`).shuffle([...people].sort()).filter(id => phoneNumbers.get(id)).slice(0, Math.round(opts.offline.share * people.length)) : [])
  const online = people.filter(id => !offline.has(id))
  let handsets: ReturnType<typeof startHandsets> | null = null
  const temperOf = (id: string): Temper => (tempers.silent.has(id) ? 'silent' : tempers.late.has(id) ? 'late' : 'prompt')
  const traces = !simulated
    ? []
    : assignments.map((a) => {
        const t = base.templates.find(x => x.id === a.templateId)!
        return newTrace(a.personId, a.templateId, scriptFor(rng, temperOf(a.personId), t, speed, resendWindowMs(plan, a.templateId)))
      })
  let click = 0
  let clickAt = 0
  let activateMs: number | null = null
  let endedBy: DrillReport['endedBy'] = 'all-settled'
  let finalTasks: Task[] = []
  try {
    // 4. Every responder's phone: enrolled by the admin, signed in, connected — before the click.
    const openPhone = opts.openPhone ?? api.device
    const sessions = await pool(simulated ? online : [], 16, async (personId) => {
      const made = await api.post<{ id: string, token: string }>('/api/enrolments', admin!, { personId })
      credentials.push(made.id)
      return openPhone(made.token)
    })
    const { seq } = await api.get<{ seq: number }>('/api/health', null)
    phones.push(...await pool(simulated ? online : [], 32, (personId, i) => connectPhone(api.url, sessions[i]!, seq, personId, traces.filter(t => t.personId === personId), () => operationId, log)))
    note(simulated ? `${phones.length} 部模拟手机已登录并连接（${tempers.silent.size} 人设定为不应答，${tempers.late.size} 人重发后才应答）` : `不模拟手机：${people.length} 人以本人手机应答`)
    if (simulated && opts.offline && offline.size) {
      handsets = startHandsets({ url: api.url, smsc: opts.offline.smsc, commander: commander!, operationId: () => operationId, resendWindowMs: id => resendWindowMs(plan, id), log, people: [...offline].map(personId => ({ personId, phone: phoneNumbers.get(personId)!, traces: traces.filter(t => t.personId === personId) })) })
      phones.push(...handsets.phones)
      note(`${offline.size} 人手机离线（不开应用），只能由短信找到：点短信链接或回复“1”确认`)
    }

    // 5. One click.
    click = performance.now()
    clickAt = Date.now()
    const activated = await api.post<Operation>('/api/wartime/activate', operator!, { planId: plan.id })
    activateMs = performance.now() - click
    log(`一键启动：${activated.taskCount} 条任务，${Math.round(activateMs)} 毫秒提交完成`)

    // 6. Answers, re-sends, escalations — until every phone's script has run, or the cap.
    const longest = Math.max(...base.templates.map(t => t.arriveMinutes * 1.2 + t.ackMinutes * 2))
    const capMs = opts.capMs ?? ((longest + 25) * 60_000) / speed + 20_000
    let lastLog = 0
    let open = simulated ? 0 : assignments.length
    while (simulated ? !phones.every(p => p.finished()) : open > 0) {
      const elapsed = performance.now() - click
      if (elapsed > capMs) {
        endedBy = 'time-cap'
        notes.push(`到达时间上限 ${Math.round(capMs / 1000)} 秒，仍有人员未了结`)
        break
      }
      if (elapsed - lastLog >= 5000) {
        lastLog = elapsed
        const count = (f: (t: TaskTrace) => unknown) => traces.filter(f).length
        log(`+${(elapsed / 1000).toFixed(0)} 秒：送达 ${count(t => t.receivedAt !== null)}/${traces.length}，确认 ${count(t => t.ackAt !== null)}，到场 ${count(t => t.onSceneAt !== null)}，完成 ${count(t => t.doneAt !== null)}，重发 ${count(t => t.resentAt !== null)}，升级 ${count(t => t.escalatedAt !== null)}`)
      }
      await sleep(simulated ? 100 : 2000)
      if (!simulated) {
        const now = (await api.get<{ tasks: Task[] }>('/api/wartime', commander!)).tasks.filter(t => t.operationId === operationId)
        open = now.filter(t => !settled(t)).length
        traces.splice(0, traces.length, ...now.map(t => traceOf(t, clickAt, click)))
      }
    }
    finalTasks = (await api.get<{ tasks: Task[] }>('/api/wartime', commander!)).tasks.filter(t => t.operationId === operationId)
  }
  catch (e) {
    errors.push(`演练中断：${errText(e)}`)
  }
  finally {
    // 7. The commander ends wartime (open tasks are cancelled with it); the phones hang up; their tokens go.
    try {
      ended = await api.post<Operation>('/api/wartime/end', commander!, { reason: '演练结束' })
      note('指挥长宣布结束战时状态（演练结束）')
    }
    catch (e) {
      errors.push(`结束战时状态失败：${errText(e)}`)
    }
    phones.forEach(p => p.close())
    handsets?.stop()
    // On a real install the drill copy is retired once used: kept for the exercise's report, offered no more.
    if (opts.login)
      await api.put<Plan>(`/api/plans/${encodeURIComponent(plan.id)}`, commander!, { ...copy, retired: true }).catch(e => notes.push(`演练预案未能停用：${errText(e)}`))
    if (warning)
      await cancelWarning(api, warning, startedAt, new Date()).then(() => note('气象台解除预警（演练）'), e => notes.push(`预警未能解除：${errText(e)}`))
    await pool(credentials, 16, id => api.del(`/api/devices/${encodeURIComponent(id)}`, admin!).catch(e => errors.push(`注销演练手机失败：${errText(e)}`)))
  }
  operationId = ended?.id ?? operationId
  if (!simulated)
    traces.splice(0, traces.length, ...finalTasks.map(t => traceOf(t, clickAt, click)))

  const byKey = new Map(finalTasks.map(t => [`${t.templateId}|${t.assigneeId}`, t]))
  const gridNames = new Map([...grids.values()].map(g => [g.id, g.name]))
  const rows = traces.map((trace) => {
    const task = byKey.get(`${trace.templateId}|${trace.personId}`)
    return responderRow({ trace, task, taskId: task?.id ?? trace.taskId, personId: trace.personId, temper: trace.script.temper, names, gridNames, click })
  })
  errors.push(...traces.flatMap(t => t.errors.map(e => `${names.get(t.personId) ?? t.personId}：${e}`)))
  const extra = finalTasks.filter(t => !traces.some(x => x.templateId === t.templateId && x.personId === t.assigneeId))
  if (extra.length)
    errors.push(`服务器多派发了 ${extra.length} 条演练预案之外的任务`)
  const endedAt = new Date()
  const fig = figures(rows, simulated ? phones.length : people.length, {
    activateMs,
    escalationNotices: phones.reduce((n, p) => n + p.escalationNotices.length, 0),
    durationMs: endedAt.getTime() - startedAt.getTime(),
  })
  const timeline = mergeTimeline(ended?.timeline ?? declared.timeline, [...events.map(e => ({ ...e, ms: clickAt ? Date.parse(e.at) - clickAt : null })), ...(clickAt ? drillEvents(rows, clickAt, activateMs, finalTasks.length) : [])], clickAt || null)
  const ladder = await reachFigures(api.url, commander!, operationId, finalTasks, handsets, click).catch(() => undefined)
  const report: DrillReport = {
    ok: fig.lost.length === 0 && rows.length > 0 && errors.length === 0,
    url: api.url,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    speed,
    seed,
    warning: warning && { id: warning.id, identifier: warning.identifier, headline: warning.headline },
    group: grouped?.group ?? null,
    proposal,
    plan: { id: plan.id, name: plan.name },
    operationId,
    endedBy,
    figures: fig,
    timeline,
    rows,
    errors,
    notes,
    files: null,
    reach: ladder,
  }
  const out = opts.out === undefined ? 'artifacts/drill' : opts.out
  if (out !== null) {
    const dir = resolve(out)
    await mkdir(dir, { recursive: true })
    const stem = `drill-${startedAt.toISOString().replace(/\D/g, '').slice(0, 14)}`
    if (simulated) {
      report.files = { html: join(dir, `${stem}.html`), xlsx: join(dir, `${stem}.xlsx`) }
      await writeFile(report.files.html, renderHtml(report))
      await writeFile(report.files.xlsx, await renderXlsx(report))
    }
    else if (operationId) {
      // Real phones: the report is the server's own after-action report of the exercise.
      report.files = await saveAfterAction(api, commander!, operationId, dir, stem).catch((e: unknown) => {
        report.errors.push(`复盘报告下载失败：${errText(e)}`)
        return null
      })
    }
  }
  return report
}
