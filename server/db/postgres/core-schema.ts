import { appendOnly } from './migrate.ts'

// The change log, incidents, other entities, op keys, the audit trail and reference versions on PostgreSQL: the same tables and
// columns as SQLite's (tests/server/db/postgres/schema.test.ts compares them), plus the counter row. Times stay ISO
// text and documents JSON text, as in SQLite, so both dialects store and compare them alike.

/** The desk's queue columns and their types (server/db/sqlite/queue.ts fills them). */
const DESK = `
    community_id TEXT, grid_id TEXT, sector_id TEXT, post_id TEXT, helper_sectors TEXT, assignee_id TEXT,
    reporter_id TEXT, reporter_phone TEXT, category TEXT, severity INTEGER, loop TEXT, channel TEXT,
    lon DOUBLE PRECISION, lat DOUBLE PRECISION, due TEXT, search_text TEXT`

/** A 12345 order's number (#16), read from the incident's JSON: an expression index finds it. */
export const PG_ORDER_NO = `((data::jsonb) #>> '{hotline,orderNo}')`

/**
 * Whether an incident's JSON may carry a 12345 order: the hotline index's predicate (migration 2), cheap, so that
 * the jsonb cast above runs only for such rows. As the first predicate it parsed every incident on every write
 * (≈ 8 µs a row of 3 KB, measured). The key is written `"orderNo"`; the same characters inside a string are
 * escaped (`\"orderNo\"`), so a row with an order always passes and one without passes only if a value is exactly
 * "orderNo" (harmless).
 * A query must repeat it for the planner to use the partial index.
 */
export const PG_MAY_HAVE_ORDER_NO = `strpos(data, '"orderNo"') > 0`

/**
 * Migration 2: cheaper incident indexes for the writer (#19). The hotline index behind the cheap predicate; the
 * finished-at index without the open incidents (every query of it asks `finished_at >= $1`, which implies NOT NULL),
 * so the writes of open cases, most of them, skip it.
 */
export const PG_CHEAPER_INCIDENT_INDEXES = `
  DROP INDEX incidents_hotline_order;
  CREATE INDEX incidents_hotline_order ON incidents (${PG_ORDER_NO}, reporter_id) WHERE ${PG_MAY_HAVE_ORDER_NO};
  DROP INDEX incidents_finished_at;
  CREATE INDEX incidents_finished_at ON incidents (finished_at) WHERE finished_at IS NOT NULL;`

/** The first incident a reporter (the hotline's key) filed under a 12345 order number: through the partial index. */
export const PG_FIND_HOTLINE_ORDER = `SELECT data FROM incidents WHERE ${PG_MAY_HAVE_ORDER_NO} AND ${PG_ORDER_NO} = $1 AND reporter_id = $2 ORDER BY reported_at, id LIMIT 1`

/** The open incidents and those finished since $1 (the wall's live set): the open-deadline and finished-at indexes. */
export const PG_LIVE_INCIDENTS = 'SELECT data FROM incidents WHERE open = 1 OR finished_at >= $1 ORDER BY reported_at, id'

export const PG_CORE_DDL = `
  -- SQLite's instr(), which the desk's queue clauses use (server/db/queue.ts); inlined by the planner.
  CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT strpos(haystack, needle)';
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- The log's counter row: the last seq given and the log's epoch (a restored database gets a new one). Updated
  -- last in every write transaction, so seqs are gap-free and in commit order (a sequence is neither).
  CREATE TABLE log_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    epoch TEXT NOT NULL
  );
  INSERT INTO log_head (id, seq, epoch) VALUES (1, 0, md5(random()::text || clock_timestamp()::text));
  CREATE TABLE reference (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    open INTEGER NOT NULL,
    stage_deadline TEXT,
    reported_at TEXT NOT NULL,
    finished_at TEXT,
    data TEXT NOT NULL,${DESK}
  );
  CREATE INDEX incidents_open_deadline ON incidents (open, stage_deadline);
  CREATE INDEX incidents_reported_at ON incidents (reported_at);
  CREATE INDEX incidents_finished_at ON incidents (finished_at);
  CREATE INDEX incidents_queue ON incidents (open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_community ON incidents (community_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_grid ON incidents (grid_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_sector ON incidents (sector_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_assignee ON incidents (assignee_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_reporter ON incidents (reporter_id, open DESC, due, reported_at DESC, id DESC);
  CREATE INDEX incidents_category_reported ON incidents (category, reported_at);
  CREATE INDEX incidents_hotline_order ON incidents (${PG_ORDER_NO}, reporter_id) WHERE ${PG_ORDER_NO} IS NOT NULL;
  CREATE TABLE incident_history (
    incident_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (incident_id, version)
  );
  CREATE INDEX incident_history_at ON incident_history (at);
  ${appendOnly('incident_history')}
  CREATE TABLE changes (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    data TEXT NOT NULL
  );
  ${appendOnly('changes', { deletes: true })}
  CREATE TABLE ops (
    key TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    fingerprint TEXT,
    at TEXT NOT NULL,
    seq BIGINT
  );
  CREATE TABLE entities (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  );
  -- Who did what (#3): written by the services and in the same transaction as the changes it explains.
  CREATE TABLE audit (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at TEXT COLLATE "C" NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    role TEXT,
    ip TEXT,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    result TEXT NOT NULL,
    detail TEXT
  );
  CREATE INDEX audit_at ON audit (at);
  CREATE INDEX audit_actor ON audit (actor_id, id);
  ${appendOnly('audit')}
  CREATE TABLE reference_versions (
    version INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    meta TEXT NOT NULL,
    data TEXT NOT NULL
  );
`
