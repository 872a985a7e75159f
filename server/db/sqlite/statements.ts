import type { Database as Db } from 'better-sqlite3'
import { DESK_COLUMNS } from '../queue.ts'
import { FIND_HOTLINE_ORDER } from './hotline.ts'

// Every statement of the embedded store, prepared once after the migrations ran.

export function prepare(db: Db) {
  return {
    head: db.prepare('SELECT MAX(seq) AS h FROM changes'),
    tail: db.prepare('SELECT MIN(seq) AS t FROM changes'),
    incidentVersion: db.prepare('SELECT version FROM incidents WHERE id = ?'),
    // Version checks are in the writes: a new incident inserts only if the id is free, a next version updates only
    // the version before it. `changes` 0 = conflict.
    insertIncident: db.prepare(`INSERT INTO incidents (id, version, state, open, stage_deadline, reported_at, finished_at, data, ${DESK_COLUMNS.join(', ')})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${DESK_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`),
    updateIncident: db.prepare(`UPDATE incidents SET version = ?, state = ?, open = ?, stage_deadline = ?, finished_at = ?, data = ?,
      ${DESK_COLUMNS.map(c => `${c} = ?`).join(', ')}
      WHERE id = ? AND version = ?`),
    insertHistory: db.prepare('INSERT INTO incident_history (incident_id, version, at, action, actor_id, actor_role, data) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertChange: db.prepare('INSERT INTO changes (seq, at, kind, entity_id, action, data) VALUES (?, ?, ?, ?, ?, ?)'),
    upsertMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    insertAudit: db.prepare('INSERT INTO audit (at, actor_kind, actor_id, role, ip, via, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    getOp: db.prepare('SELECT o.status, o.body, o.fingerprint, o.seq, c.data FROM ops o LEFT JOIN changes c ON c.seq = o.seq WHERE o.key = ?'),
    insertOp: db.prepare('INSERT INTO ops (key, status, body, fingerprint, at, seq) VALUES (?, ?, ?, ?, ?, ?)'),
    entityVersion: db.prepare('SELECT version FROM entities WHERE kind = ? AND id = ?'),
    insertEntity: db.prepare('INSERT INTO entities (kind, id, version, updated_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO NOTHING'),
    updateEntity: db.prepare('UPDATE entities SET version = ?, updated_at = ?, data = ? WHERE kind = ? AND id = ? AND version = ?'),
    getEntity: db.prepare('SELECT data FROM entities WHERE kind = ? AND id = ?'),
    listEntities: db.prepare('SELECT data FROM entities WHERE kind = ? ORDER BY updated_at'),
    getReference: db.prepare('SELECT data FROM reference WHERE id = 1'),
    insertReferenceVersion: db.prepare('INSERT INTO reference_versions (version, at, meta, data) VALUES (?, ?, ?, ?)'),
    getPackage: db.prepare('SELECT version, data FROM reference_versions WHERE version = ?'),
    getNewestPackage: db.prepare('SELECT version, data FROM reference_versions ORDER BY version DESC LIMIT 1'),
    listReferenceVersions: db.prepare('SELECT meta FROM reference_versions ORDER BY version DESC'),
    getIncident: db.prepare('SELECT data FROM incidents WHERE id = ?'),
    getHistory: db.prepare('SELECT data FROM incident_history WHERE incident_id = ? ORDER BY version'),
    listLive: db.prepare('SELECT data FROM incidents WHERE open = 1 OR finished_at >= ? ORDER BY reported_at'),
    listOverdue: db.prepare('SELECT data FROM incidents WHERE open = 1 AND stage_deadline < ? ORDER BY stage_deadline'),
    listReported: db.prepare('SELECT data FROM incidents WHERE reported_at >= ? AND reported_at < ? ORDER BY reported_at'),
    changesSince: db.prepare('SELECT seq, at, kind, entity_id, action, data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?'),
    findHotlineOrder: db.prepare(FIND_HOTLINE_ORDER),
  }
}

export type Statements = ReturnType<typeof prepare>
