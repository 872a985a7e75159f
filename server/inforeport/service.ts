import type { Principal } from '../../shared/auth/authz.ts'
import type { InfoReport, InfoReportEdit, InfoReportFields, InfoReportList, InfoReportSend } from '../../shared/inforeport/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { Operation } from '../../shared/wartime/schema.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Config } from '../config.ts'
import type { Store } from '../db/store.ts'
import type { LiveReference } from '../setup/live.ts'
import { SYSTEM_PRINCIPAL } from '../../shared/auth/authz.ts'
import { draftReport, KEPT_ON_REFRESH, reportText } from '../../shared/inforeport/draft.ts'
import { reportTimes } from '../../shared/inforeport/rules.ts'
import { inOrder, nextDueAfter, schedule } from '../../shared/inforeport/schedule.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { INTERNAL } from '../audit/service.ts'
import { entity } from '../db/store.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'
import { sendToDistrict } from './webhook.ts'

export interface InfoReportDeps {
  store: Store
  audit: Audit
  live: LiveReference
  now: () => Date
  config: Pick<Config, 'inforeport' | 'webhooks'>
  /** People checked in to shelters during an operation: the draft's 转移安置 floor. */
  sheltered?: (operationId: string) => Promise<number>
}

/** How many operations' reports the desk lists (the latest first). */
const LISTED_OPERATIONS = 10

/**
 * The prescribed information reports (初报、续报、终报): the clock opens, drafts and marks them past due; the duty
 * desk edits a draft and sends it, by export (the text pasted into the district's system) or by a signed POST. A
 * sent report is never changed again: a correction is the next 续报.
 */
export function createInfoReportService(deps: InfoReportDeps) {
  const lock = new KeyedLock()
  const who = (p: Principal) => p.personId ?? p.id
  const reportsOf = async (operationId: string) => (await deps.store.listEntities('inforeport')).filter(r => r.operationId === operationId)
  const timesOf = (op: Operation) => reportTimes(deps.live.pkg.inforeports, op.planId)

  /** The draft of `r` from the operation's figures now; what the desk typed into `keep` survives. */
  async function drafted(r: InfoReport, op: Operation, keep: InfoReportFields | null): Promise<Pick<InfoReport, 'fields' | 'figures' | 'text'>> {
    const [tasks, plan, warning, reports] = await Promise.all([
      deps.store.listEntities('task').then(ts => ts.filter(t => t.operationId === op.id)),
      op.planId ? deps.store.getEntity('plan', op.planId) : null,
      op.warningId ? deps.store.getEntity('warning', op.warningId) : null,
      reportsOf(op.id),
    ])
    const earlier = inOrder(reports.filter(x => x.fields !== null && x.id !== r.id && x.kind !== 'final'))
    const previous = earlier.filter(x => r.kind === 'final' || x.number < r.number).at(-1) ?? null
    const made = draftReport(r, { op, plan, tasks, ref: deps.live.reference, warningHeadline: warning?.headline ?? null, previous, now: deps.now(), sheltered: await deps.sheltered?.(op.id) })
    const fields = keep ? { ...made.fields, ...Object.fromEntries(KEPT_ON_REFRESH.map(k => [k, keep[k]])) } : made.fields
    return { fields, figures: made.figures, text: reportText(fields, null) }
  }

  async function operationOf(r: InfoReport): Promise<Operation | null> {
    return deps.store.getEntity('operation', r.operationId)
  }

  /** Runs the schedule for one operation: what is owed now is opened, drafted, marked late or cancelled. */
  async function step(op: Operation): Promise<number> {
    return lock.run(`op:${op.id}`, async () => {
      const now = deps.now()
      const at = now.toISOString()
      let done = 0
      for (const s of schedule(op, await reportsOf(op.id), timesOf(op), now)) {
        const base = s.kind === 'open' ? s.report : { ...s.report, version: s.report.version + 1, updatedAt: at }
        const next: InfoReport = s.kind === 'draft'
          ? { ...base, ...(await drafted(s.report, op, null)), state: 'draft', draftedAt: at, editedBy: 'system' }
          : s.kind === 'overdue' ? { ...base, overdueAt: at } : s.kind === 'cancel' ? { ...base, state: 'cancelled' } : base
        const audit = deps.audit.entry(SYSTEM_PRINCIPAL, INTERNAL, { action: `inforeport:${s.kind}`, target: next.id, result: 'allow', role: 'system' })
        await deps.store.commit({ mutations: [entity('inforeport', next, s.kind, at)], audit })
        done++
      }
      return done
    })
  }

  /** Edits a report under its operation's lock, refusing a stale version and a report no longer open. */
  async function change(call: Call, id: string, version: number, permission: 'inforeport:edit' | 'inforeport:send', act: (r: InfoReport, op: Operation) => Promise<Result<InfoReport>>): Promise<Result<InfoReport>> {
    const g = await deps.audit.guard(call, permission, id)
    if (!g.ok)
      return g
    const r = await deps.store.getEntity('inforeport', id)
    if (!r)
      return fail('not_found', `report ${id} does not exist`, 'id')
    return lock.run(`op:${r.operationId}`, async () => {
      const fresh = (await deps.store.getEntity('inforeport', id))!
      const op = await operationOf(fresh)
      if (!op)
        return fail('not_found', `operation ${fresh.operationId} does not exist`, 'id')
      if (fresh.state === 'sent')
        return fail('conflict', 'a sent report is never changed: report the correction in the next 续报', 'state')
      if (fresh.state === 'cancelled')
        return fail('conflict', 'this report was cancelled when the operation ended: the 终报 takes its place', 'state')
      if (fresh.version !== version)
        return fail('conflict', `the report changed meanwhile (version ${fresh.version}, not ${version}): reload it`, 'version')
      const res = await act(fresh, op)
      if (res.ok)
        await deps.store.commit({ mutations: [entity('inforeport', res.data, permission === 'inforeport:send' ? 'send' : 'edit', res.data.updatedAt)], audit: g.audit })
      return res
    })
  }

  return {
    /** The reports of the latest operations (the running one first), 初报 to 终报 within each. */
    async list(operationId?: string): Promise<InfoReportList> {
      const all = (await deps.store.listEntities('inforeport')).filter(r => !operationId || r.operationId === operationId)
      // An operation's 初报 is opened first: its creation time orders the operations.
      const ops = all.filter(r => r.kind === 'initial').sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, LISTED_OPERATIONS).map(r => r.operationId)
      return { reports: ops.flatMap(id => inOrder(all.filter(r => r.operationId === id))), webhook: !!(deps.config.inforeport.url && deps.config.inforeport.secret) }
    },
    get: (id: string) => deps.store.getEntity('inforeport', id),

    /** The clock: every operation running, or ended with a report still owed. Returns the changes it made. */
    async tick(): Promise<number> {
      const now = deps.now().getTime()
      const reports = await deps.store.listEntities('inforeport')
      const owing = new Set(reports.filter(r => r.state === 'due' || r.state === 'draft').map(r => r.operationId))
      const hasFinal = new Set(reports.filter(r => r.kind === 'final').map(r => r.operationId))
      let done = 0
      for (const op of await deps.store.listEntities('operation')) {
        // An ended operation owes its 终报 within its window; one that ended long before this clock ran owes nothing.
        const endOwed = op.endedAt !== null && !hasFinal.has(op.id) && now - Date.parse(op.endedAt) < timesOf(op).finalMinutes * 60_000
        if (op.active || owing.has(op.id) || endOwed)
          done += await step(op)
      }
      return done
    },

    /** Fills (or refreshes) the draft from the figures now; casualties, evacuees and signatures typed are kept. */
    redraft: (call: Call, id: string, version: number) => change(call, id, version, 'inforeport:edit', async (r, op) => {
      const at = deps.now().toISOString()
      return succeed({ ...r, ...(await drafted(r, op, r.fields)), version: r.version + 1, state: 'draft' as const, draftedAt: at, editedBy: who(call.principal), updatedAt: at })
    }),

    edit: (call: Call, id: string, body: InfoReportEdit) => change(call, id, body.version, 'inforeport:edit', async (r) => {
      if (!r.fields)
        return fail('conflict', 'draft the report first: its fields start from the operation\'s figures', 'state')
      const at = deps.now().toISOString()
      return succeed({ ...r, fields: body.fields, text: reportText(body.fields, null), version: r.version + 1, state: 'draft' as const, editedBy: who(call.principal), updatedAt: at })
    }),

    /** Sends a draft: marks it sent after export, or after the district's system accepted the signed POST. */
    async send(call: Call, id: string, body: InfoReportSend): Promise<Result<InfoReport>> {
      const res = await change(call, id, body.version, 'inforeport:send', async (r, op) => {
        if (!r.fields)
          return fail('conflict', 'draft the report before sending it', 'state')
        if (!r.fields.reporter.trim() || !r.fields.signer.trim())
          return fail('invalid', 'a report is sent with its reporter and signer (报告人、签发人)', r.fields.reporter.trim() ? 'signer' : 'reporter')
        const now = deps.now()
        const at = now.toISOString()
        const sent: InfoReport = {
          ...r,
          version: r.version + 1,
          state: 'sent',
          text: reportText(r.fields, at),
          sentAt: at,
          sentVia: body.via,
          sentBy: who(call.principal),
          nextDueAt: nextDueAfter(r, op, at, body.nextInMinutes ?? timesOf(op).followUpMinutes),
          updatedAt: at,
        }
        if (body.via === 'webhook' && !(deps.config.inforeport.url && deps.config.inforeport.secret))
          return fail('invalid', 'no district system is set up (ONESCREEN_INFOREPORT_URL, ONESCREEN_INFOREPORT_SECRET): export the report instead', 'via')
        if (body.via === 'webhook') {
          const out = await sendToDistrict(deps.config, sent, deps.live.reference.territory.subdistrict, now)
          if (!out.ok) {
            await deps.audit.record(call.principal, call.origin, { action: 'inforeport:send', target: id, result: 'fail', detail: out.error })
            return fail('unavailable', `the district's system did not take the report: ${out.error}`, 'via')
          }
        }
        return succeed(sent)
      })
      // The next 续报's clock starts now, not at the clock's next tick.
      const op = res.ok ? await operationOf(res.data) : null
      if (op)
        await step(op)
      return res
    },
  }
}

export type InfoReportService = ReturnType<typeof createInfoReportService>
