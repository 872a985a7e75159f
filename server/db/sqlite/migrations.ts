import { CHANNEL_MIGRATION } from '../../notify/channel-store.ts'
import { REGISTER_MIGRATION } from '../../resources/store.ts'
import { SENSOR_MIGRATION } from '../../sensors/store.ts'
import { AFTER_ACTION_MIGRATION } from '../../wartime/after-action/store.ts'
import { WEBHOOK_MIGRATION } from '../../webhooks/store.ts'
import { HOTLINE_MIGRATION } from './hotline.ts'
import { DESK_MIGRATION } from './queue.ts'

// Ordered migrations for the SQLite store. Append only: never edit a migration that has shipped.
export const SQLITE_MIGRATIONS: string[] = [
  `
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
    data TEXT NOT NULL
  );
  CREATE INDEX incidents_open_deadline ON incidents (open, stage_deadline);
  CREATE INDEX incidents_reported_at ON incidents (reported_at);
  CREATE INDEX incidents_finished_at ON incidents (finished_at);
  CREATE TABLE incident_history (
    incident_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (incident_id, version)
  ) WITHOUT ROWID;
  CREATE TABLE changes (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE ops (
    key TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    fingerprint TEXT,
    at TEXT NOT NULL
  ) WITHOUT ROWID;
  -- History and the change log are append-only: the database itself refuses edits.
  CREATE TRIGGER incident_history_no_update BEFORE UPDATE ON incident_history
    BEGIN SELECT RAISE(ABORT, 'incident_history is append-only'); END;
  CREATE TRIGGER incident_history_no_delete BEFORE DELETE ON incident_history
    BEGIN SELECT RAISE(ABORT, 'incident_history is append-only'); END;
  CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
    BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
  `,
]

// #3: accounts, sessions, share links, devices, API keys, the audit trail.
SQLITE_MIGRATIONS.push(`
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    person_id TEXT,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    idle_ms INTEGER NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  ) WITHOUT ROWID;
  CREATE INDEX sessions_subject ON sessions (subject_id);
  CREATE TABLE share_links (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  ) WITHOUT ROWID;
  CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  ) WITHOUT ROWID;
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
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
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
`)

// #5: versioned entities of other kinds (tasks, operations, warnings, messages, plans); replay answers by seq.
SQLITE_MIGRATIONS.push(`
  CREATE TABLE entities (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  ) WITHOUT ROWID;
  ALTER TABLE ops ADD COLUMN seq INTEGER;
  ALTER TABLE credentials ADD COLUMN person_id TEXT;
`)

// #7: patrol check-ins, frozen monthly scores, the volunteers' points ledger. All append-only.
SQLITE_MIGRATIONS.push(`
  CREATE INDEX incident_history_at ON incident_history (at);
  CREATE TABLE patrols (
    id TEXT PRIMARY KEY,
    op_key TEXT UNIQUE,
    person_id TEXT NOT NULL,
    grid_id TEXT NOT NULL,
    at TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    note TEXT,
    device TEXT,
    recorded_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX patrols_at ON patrols (at);
  CREATE TRIGGER patrols_no_update BEFORE UPDATE ON patrols BEGIN SELECT RAISE(ABORT, 'patrols is append-only'); END;
  CREATE TRIGGER patrols_no_delete BEFORE DELETE ON patrols BEGIN SELECT RAISE(ABORT, 'patrols is append-only'); END;
  CREATE TABLE score_months (
    month TEXT PRIMARY KEY,
    frozen_at TEXT NOT NULL,
    config_version TEXT NOT NULL,
    data TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TRIGGER score_months_no_update BEFORE UPDATE ON score_months BEGIN SELECT RAISE(ABORT, 'a frozen month never changes'); END;
  CREATE TRIGGER score_months_no_delete BEFORE DELETE ON score_months BEGIN SELECT RAISE(ABORT, 'a frozen month never changes'); END;
  CREATE TABLE points_ledger (
    seq INTEGER PRIMARY KEY,
    op_id TEXT NOT NULL UNIQUE,
    person_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('earn', 'redeem')),
    points INTEGER NOT NULL CHECK (points > 0),
    balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
    reason TEXT NOT NULL,
    ref TEXT,
    actor_id TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX points_ledger_person ON points_ledger (person_id, seq);
  CREATE TRIGGER points_ledger_no_update BEFORE UPDATE ON points_ledger BEGIN SELECT RAISE(ABORT, 'points_ledger is append-only'); END;
  CREATE TRIGGER points_ledger_no_delete BEFORE DELETE ON points_ledger BEGIN SELECT RAISE(ABORT, 'points_ledger is append-only'); END;
`)

// #14: the desk's queue: the columns it filters and sorts on, filled from the stored rows, and their indexes.
SQLITE_MIGRATIONS.push(DESK_MIGRATION)

// #15: every applied subdistrict package, by version (the change log carries only the version's summary).
SQLITE_MIGRATIONS.push(`
  CREATE TABLE reference_versions (
    version INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    meta TEXT NOT NULL,
    data TEXT NOT NULL
  );
`)

// #15 admin console: an account's own territory and when it was disabled; an API key's scopes (JSON, KeyGrant).
SQLITE_MIGRATIONS.push(`
  ALTER TABLE accounts ADD COLUMN scope TEXT;
  ALTER TABLE accounts ADD COLUMN disabled_at TEXT;
  ALTER TABLE credentials ADD COLUMN scopes TEXT;
  CREATE INDEX audit_actor ON audit (actor_id, id);
`)

// #16: outcome webhooks: each API key's callback, its cursor on the change log, the outbox of deliveries.
SQLITE_MIGRATIONS.push(WEBHOOK_MIGRATION)
// #16: a 12345 order by its number and sender.
SQLITE_MIGRATIONS.push(HOTLINE_MIGRATION)
// #17: the register of vulnerable people and the evacuation check-offs (personal data, outside the change log).
SQLITE_MIGRATIONS.push(REGISTER_MIGRATION)

// #17: every ended operation's after-action report.
SQLITE_MIGRATIONS.push(AFTER_ACTION_MIGRATION)
// #17: sensor readings, one row per station and measuring time, trimmed by age.
SQLITE_MIGRATIONS.push(SENSOR_MIGRATION)
// #17: Web Push keys and subscriptions, messaging robots, what the push and robot channels sent.
SQLITE_MIGRATIONS.push(CHANNEL_MIGRATION)
// #19: sessions revoked lately, which every node reads to drop their sockets.
SQLITE_MIGRATIONS.push(`
  CREATE INDEX sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
`)
