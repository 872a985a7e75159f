import type { CaseLookup } from '../../shared/cases/from-row.ts'
import type { CaseExportQuery, CaseFormat, CaseImportAnswer } from '../../shared/cases/schema.ts'
import type { IncidentWithHistory } from '../../shared/incident/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { PackageProblem } from '../../shared/setup/package.ts'
import type { Call } from '../audit/service.ts'
import type { AppContext } from '../context.ts'
import type { IncidentMutation } from '../db/store.ts'
import { deskReach, seesPersonalData } from '../../shared/auth/authz.ts'
import { stepsOf } from '../../shared/cases/replay.ts'
import { EXPORT_MAX } from '../../shared/cases/schema.ts'
import { labelsOf } from '../../shared/incident/labels.ts'
import { redactIncident } from '../../shared/incident/privacy.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { casesCsv, casesGeoJson, casesWorkbook } from './export.ts'
import { planImport, readCaseFile } from './import.ts'
import { exampleCase, TEMPLATE_NOTES } from './template.ts'

const PAGE = 1000

export type CaseDeps = Pick<AppContext, 'store' | 'audit' | 'reference' | 'catalog' | 'grids' | 'now'>
export interface CaseFile { name: string, data: Buffer }
export type ImportResult = Result<CaseImportAnswer> | { ok: false, code: 'invalid', message: string, field: string, problems: PackageProblem[] }

/** Cases out (the desk's filters, every page) and historical cases in (admin, checked row by row, all or nothing). */
export function createCaseService(deps: CaseDeps) {
  /** Every case the caller's desk would list with these filters, with its history; at most EXPORT_MAX. */
  async function collect(call: Call, q: Omit<CaseExportQuery, 'format'>): Promise<Result<IncidentWithHistory[]>> {
    const p = call.principal
    if (q.phone && !seesPersonalData(p))
      return fail('forbidden', 'searching by the reporter\'s phone needs personal:read', 'phone')
    const { tab = 'all', q: text, ...filters } = q
    const base = { ...filters, reach: deskReach(p), personId: p.personId, myPostId: p.postId ?? null, tab, now: deps.now().toISOString(), text: text?.trim() || undefined }
    const out: IncidentWithHistory[] = []
    for (let offset = 0; ; offset += PAGE) {
      const { items } = await deps.store.queryIncidents({ ...base, offset, limit: PAGE })
      for (const inc of items) {
        const full = await deps.store.getIncident(inc.id)
        if (full)
          out.push(full)
      }
      if (out.length > EXPORT_MAX)
        return fail('too_large', `more than ${EXPORT_MAX} cases match: narrow the filters (community, dates, tab) and export in parts`, 'from')
      if (items.length < PAGE)
        return succeed(out)
    }
  }

  async function exportCases(call: Call, q: CaseExportQuery): Promise<Result<{ format: CaseFormat, data: Buffer, count: number }>> {
    const { format = 'xlsx', ...filters } = q
    const found = await collect(call, filters)
    if (!found.ok)
      return found
    const personal = seesPersonalData(call.principal)
    const cases = personal ? found.data : found.data.map(redactIncident)
    const data = format === 'xlsx' ? await casesWorkbook(cases, personal) : format === 'csv' ? casesCsv(cases, personal) : casesGeoJson(cases, personal)
    // Who took a copy of which cases (and whether with personal data) is part of the trail.
    const role = call.principal.roles[0] ?? null
    await deps.audit.record(call.principal, call.origin, { action: `cases:export.${format}`, target: new URLSearchParams(filters as Record<string, string>).toString().slice(0, 120) || null, result: 'allow', role, detail: `${cases.length} cases${personal ? ', with personal data' : ''}` })
    return succeed({ format, data, count: cases.length })
  }

  function lookup(): CaseLookup {
    const { catalog, reference, grids } = deps
    return {
      category: s => catalog.categories.find(c => c.code === s) ?? catalog.categories.find(c => c.name === s),
      grid: id => reference.territory.grids.find(g => g.id === id),
      locate: p => grids.locate(p),
    }
  }

  /** One import at a time: two uploads of the same file must not both find a case missing and both write it. */
  let running: Promise<unknown> = Promise.resolve()
  function importCases(call: Call, file: CaseFile, dryRun: boolean): Promise<ImportResult> {
    const next = running.then(() => importNow(call, file, dryRun))
    running = next.catch(() => {})
    return next
  }

  async function importNow(call: Call, file: CaseFile, dryRun: boolean): Promise<ImportResult> {
    const granted = await deps.audit.guard(call, 'cases:import', file.name.slice(0, 120), { action: dryRun ? 'cases:import.check' : 'cases:import' })
    if (!granted.ok)
      return granted
    const sheets = await readCaseFile(file.name, file.data)
    const { cases, problems } = planImport(sheets, lookup(), inc => labelsOf(inc, deps.reference, deps.catalog), deps.now())
    const answer: CaseImportAnswer = { dryRun, rows: sheets.incidents.length, imported: 0, steps: 0, skipped: [], problems, ids: [] }
    if (problems.length) {
      if (dryRun)
        return succeed(answer)
      await deps.audit.record(call.principal, call.origin, { action: 'cases:import', target: file.name.slice(0, 120), result: 'fail', detail: `${problems.length} problems` })
      return { ok: false, code: 'invalid', message: `${problems.length} problems in ${file.name}: nothing was imported`, field: 'file', problems }
    }
    // A case already here (same id, or the id its source number gives) is reported and left as it is.
    const fresh = []
    for (const c of cases) {
      if (await deps.store.getIncidentState(c.incident.id))
        answer.skipped.push({ row: c.row, id: c.incident.id, ...(c.sourceId ? { sourceId: c.sourceId } : {}), reason: '已导入过（编号相同），未重复导入', reasonEn: 'already imported (same id): not imported twice' })
      else
        fresh.push(c)
    }
    const mutations: IncidentMutation[] = fresh.flatMap(c => stepsOf(c.incident, c.history).map(s => ({ kind: 'incident' as const, ...s })))
    // The change log reads in time order, as a back-fill does; one incident's steps keep their order.
    mutations.sort((a, b) => (a.entry.at < b.entry.at ? -1 : a.entry.at > b.entry.at ? 1 : 0))
    answer.imported = fresh.length
    answer.steps = mutations.length
    answer.ids = fresh.slice(0, 1000).map(c => c.incident.id)
    if (!dryRun && mutations.length) {
      await deps.store.importMutations(mutations)
      await deps.audit.record(call.principal, call.origin, { action: 'cases:import', target: file.name.slice(0, 120), result: 'allow', role: granted.role, detail: `${fresh.length} cases, ${mutations.length} steps, ${answer.skipped.length} already there` })
    }
    return succeed(answer, { created: !dryRun && fresh.length > 0 })
  }

  /** The template: every column, one example case (with its steps) from the package in force, and notes. */
  async function template(format: 'xlsx' | 'csv'): Promise<Buffer> {
    const example = exampleCase(deps.reference, deps.catalog)
    return format === 'xlsx' ? casesWorkbook([example], true, TEMPLATE_NOTES) : casesCsv([example], true)
  }

  return { exportCases, importCases, template }
}

export type CaseService = ReturnType<typeof createCaseService>
