import type { Database as Db } from 'better-sqlite3'
import type { SensorReading } from '../../shared/sensors/schema.ts'

// Sensor readings (#17): one row per station and measuring time, so a resent reading is a no-op. Kept for a while
// (the wall's latest, a station's recent series), then trimmed by age; the warnings they raised live in the log.

export const SENSOR_MIGRATION = `
  CREATE TABLE sensor_readings (
    station_id TEXT NOT NULL,
    at TEXT NOT NULL,
    value REAL NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (station_id, at)
  ) WITHOUT ROWID;
  CREATE INDEX sensor_readings_at ON sensor_readings (at);
`

export interface SensorStore {
  /** Stores the readings not held yet (same station and time) and answers how many were new. */
  insert: (readings: SensorReading[], receivedAt: string) => Promise<number>
  /** The newest reading of every station that has one. */
  latest: () => Promise<SensorReading[]>
  /** A station's readings in [from, to), oldest first, at most `limit`. */
  series: (stationId: string, from: string, to: string, limit: number) => Promise<SensorReading[]>
  /** Forgets readings measured before `before`; answers how many. */
  trim: (before: string) => Promise<number>
}

interface Row { station_id: string, at: string, value: number }
const reading = (r: Row): SensorReading => ({ stationId: r.station_id, at: r.at, value: r.value })

/** The SQLite side; statements are prepared on first use (after the migrations ran). */
export function createSqliteSensorStore(db: Db): SensorStore {
  let s: ReturnType<typeof prepare> | null = null
  const prepare = () => ({
    insert: db.prepare('INSERT OR IGNORE INTO sensor_readings (station_id, at, value, received_at) VALUES (?, ?, ?, ?)'),
    latest: db.prepare('SELECT station_id, MAX(at) AS at, value FROM sensor_readings GROUP BY station_id'),
    series: db.prepare('SELECT station_id, at, value FROM sensor_readings WHERE station_id = ? AND at >= ? AND at < ? ORDER BY at LIMIT ?'),
    trim: db.prepare('DELETE FROM sensor_readings WHERE at < ?'),
  })
  const st = () => (s ??= prepare())
  const insertAll = db.transaction((rows: SensorReading[], receivedAt: string) => {
    let n = 0
    for (const r of rows)
      n += st().insert.run(r.stationId, r.at, r.value, receivedAt).changes
    return n
  })
  return {
    insert: async (rows, receivedAt) => insertAll(rows, receivedAt),
    // SQLite takes the bare column beside MAX() from the row that holds the maximum.
    latest: async () => (st().latest.all() as Row[]).map(reading),
    series: async (stationId, from, to, limit) => (st().series.all(stationId, from, to, limit) as Row[]).map(reading),
    trim: async before => st().trim.run(before).changes,
  }
}
