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
