// The ceiling of durable writes on this disk: raw better-sqlite3 writing exactly the rows a service run wrote
// (incident insert/update, history, change, audit, op per action, with the service's own SQL and schema), in
// transactions of exactly the sizes the service's group commits had, with the same pragmas. Nothing else: no
// validation, no JSON encoding (the row text is read back from the service's file), no replay lookups, no promises.
import type { Database as Db } from 'better-sqlite3'
import type { Incident } from '../../shared/incident/schema.ts'
import { deskValues } from '../../server/db/queue.ts'
import Database from '../../server/db/sqlite/driver.ts'
import { SQLITE_MIGRATIONS } from '../../server/db/sqlite/migrations.ts'
import { prepare } from '../../server/db/sqlite/statements.ts'
import { FINISHED_STATES } from '../../shared/incident/lifecycle.ts'
import { now } from './common.ts'

type Params = unknown[]

/** One action's rows, as the parameters of the service's own statements. */
interface ActionRows {
  incident: { insert: boolean, params: Params }
  history: Params
  change: Params
  audit: Params | null
  op: Params | null
}

export interface CeilingWork {
  actions: ActionRows[]
  /** Requests per group commit, in the order the service committed them. */
  groups: number[]
}

/** The rows a service run wrote after `head0`, read back from its (closed) file. */
export function readWork(file: string, head0: number, audit0: number, groups: number[]): CeilingWork {
  const db = new Database(file, { readonly: true })
  try {
    const changes = db.prepare('SELECT seq, at, kind, entity_id, action, data FROM changes WHERE seq > ? ORDER BY seq').all(head0) as { seq: number, at: string, kind: string, entity_id: string, action: string, data: string }[]
    const history = db.prepare('SELECT incident_id, version, at, action, actor_id, actor_role, data FROM incident_history WHERE incident_id = ? AND version = ?').raw()
    const audits = db.prepare('SELECT at, actor_kind, actor_id, role, ip, via, action, target, result, detail FROM audit WHERE id > ? ORDER BY id').raw().all(audit0) as Params[]
    const ops = new Map((db.prepare('SELECT key, status, body, fingerprint, at, seq FROM ops WHERE seq > ?').raw().all(head0) as Params[]).map(r => [r[5] as number, r]))
    const actions = changes.map((c, i): ActionRows => {
      const inc = JSON.parse(c.data) as Incident
      const finished = FINISHED_STATES.includes(inc.state)
      const finishedAt = finished ? inc.closedAt ?? inc.updatedAt : null
      const desk = deskValues(inc, !finished)
      const h = history.get(inc.id, inc.version) as Params
      return {
        incident: inc.version === 1
          ? { insert: true, params: [inc.id, inc.version, inc.state, finished ? 0 : 1, inc.stageDeadline, inc.reportedAt, finishedAt, c.data, ...desk] }
          : { insert: false, params: [inc.version, inc.state, finished ? 0 : 1, inc.stageDeadline, finishedAt, c.data, ...desk, inc.id, inc.version - 1] },
        history: h,
        change: [c.seq, c.at, c.kind, c.entity_id, c.action, c.data],
        audit: audits[i] ?? null,
        op: ops.get(c.seq) ?? null,
      }
    })
    return { actions, groups }
  }
  finally {
    db.close()
  }
}

/** A fresh file with the service's schema and pragmas (WAL, synchronous=FULL). */
function openFresh(file: string): Db {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  for (const sql of SQLITE_MIGRATIONS) db.exec(sql)
  return db
}

/** Writes the work in its group sizes; answers actions/s over the timed part (every COMMIT included). */
export function writeCeiling(file: string, work: CeilingWork): { rate: number, actions: number, rows: number, commits: number, cpuUs: number } {
  const db = openFresh(file)
  try {
    const s = prepare(db)
    let rows = 0
    const group = db.transaction((batch: ActionRows[]) => {
      for (const a of batch) {
        const done = (a.incident.insert ? s.insertIncident : s.updateIncident).run(...a.incident.params)
        if (done.changes !== 1)
          throw new Error(`ceiling: incident row not written (${String(a.change[3])})`)
        s.insertHistory.run(...a.history)
        s.insertChange.run(...a.change)
        rows += 3
        if (a.audit) {
          s.insertAudit.run(...a.audit)
          rows++
        }
        if (a.op) {
          s.insertOp.run(...a.op)
          rows++
        }
      }
    })
    let i = 0
    let commits = 0
    const cpu0 = process.cpuUsage()
    const t0 = now()
    for (const size of work.groups) {
      if (i >= work.actions.length)
        break
      group(work.actions.slice(i, i + size))
      i += size
      commits++
    }
    if (i < work.actions.length) {
      group(work.actions.slice(i))
      commits++
    }
    const elapsed = now() - t0
    const cpu = process.cpuUsage(cpu0)
    const stored = (db.prepare('SELECT COUNT(*) AS n FROM changes').get() as { n: number }).n
    if (stored < work.actions.length)
      throw new Error(`ceiling: wrote ${work.actions.length} changes, found ${stored}`)
    return { rate: work.actions.length / (elapsed / 1000), actions: work.actions.length, rows, commits, cpuUs: (cpu.user + cpu.system) / work.actions.length }
  }
  finally {
    db.close()
  }
}
