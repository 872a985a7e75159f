import type { InfoReport, InfoReportFields, InfoReportList, InfoReportVia } from '../../shared/inforeport/schema.ts'
import type { Change } from '../../shared/sync/schema.ts'
import { defineStore } from 'pinia'
import { shallowRef, triggerRef } from 'vue'
import { inOrder } from '../../shared/inforeport/schedule.ts'
import { useIncidentsStore } from '../incident/store.ts'
import { pinia } from '../modules/pinia.ts'
import { getJson, sendJson } from '../ui/http.ts'
import { isNewer } from './reconcile.ts'

/**
 * The information reports (初报、续报、终报) as the wall and the desk hold them: loaded once (and after a snapshot),
 * then kept live from the change log, each report by version. The desk's edits answer the new version at once.
 */
export const useInfoReportsStore = defineStore('inforeports', () => {
  const reports = shallowRef(new Map<string, InfoReport>())
  /** Whether the district's system is set up (the desk offers 发送至区平台). */
  const webhook = shallowRef(false)
  const pending = shallowRef<string | null>(null)

  function hold(list: Iterable<InfoReport>): void {
    let changed = false
    for (const r of list) {
      if (isNewer(reports.value.get(r.id), r)) {
        reports.value.set(r.id, r)
        changed = true
      }
    }
    if (changed)
      triggerRef(reports)
  }

  async function load(): Promise<void> {
    const answer = await getJson<InfoReportList>('/api/inforeports')
    webhook.value = answer.webhook
    hold(answer.reports)
  }

  function apply(changes: readonly Change[]): void {
    hold(changes.flatMap(c => c.kind === 'inforeport' ? [c.data] : []))
  }

  /** One operation's reports, 初报 to 终报. */
  const of = (operationId: string | null | undefined): InfoReport[] =>
    operationId ? inOrder([...reports.value.values()].filter(r => r.operationId === operationId)) : []

  async function act(r: InfoReport, path: string, body: unknown, method = 'POST'): Promise<InfoReport> {
    pending.value = r.id
    try {
      const next = await sendJson<InfoReport>(path, body, { method })
      hold([next])
      return next
    }
    finally {
      pending.value = null
    }
  }
  const redraft = (r: InfoReport) => act(r, `/api/inforeports/${encodeURIComponent(r.id)}/draft`, { version: r.version })
  const edit = (r: InfoReport, fields: InfoReportFields) => act(r, `/api/inforeports/${encodeURIComponent(r.id)}`, { version: r.version, fields }, 'PUT')
  const send = (r: InfoReport, via: InfoReportVia, nextInMinutes?: number) =>
    act(r, `/api/inforeports/${encodeURIComponent(r.id)}/send`, { version: r.version, via, ...(nextInMinutes ? { nextInMinutes } : {}) })

  return { reports, webhook, pending, load, apply, of, redraft, edit, send }
})

let booted = false

/** Binds the reports to the change log, once per page (the wall and the desk both hold them). */
export function bootInfoReports(): void {
  if (booted)
    return
  booted = true
  const store = useInfoReportsStore(pinia)
  const incidents = useIncidentsStore(pinia)
  const load = () => void store.load().catch(err => console.warn('[inforeports] load failed', err))
  incidents.onApplied(changes => store.apply(changes))
  incidents.onSnapshot(load)
  if (incidents.seq !== null)
    load()
}
