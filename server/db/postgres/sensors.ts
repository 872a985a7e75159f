import type pg from 'pg'
import type { SensorStore } from '../../sensors/store.ts'
import { withProblems } from '../errors.ts'
import { pgProblemOf } from './failure.ts'
import { rows } from './pool.ts'

// Sensor readings on PostgreSQL (server/sensors/store.ts is the SQLite side): one row per station and measuring
// time, so a resent reading is a no-op.

export const PG_SENSOR_DDL = `
  CREATE TABLE sensor_readings (
    station_id TEXT NOT NULL,
    at TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (station_id, at)
  );
  CREATE INDEX sensor_readings_at ON sensor_readings (at);
`

interface Row { station_id: string, at: string, value: number }
const reading = (r: Row) => ({ stationId: r.station_id, at: r.at, value: r.value })

export function createPgSensorStore(pool: pg.Pool): SensorStore {
  return withProblems<SensorStore>({
    async insert(readings, receivedAt) {
      if (!readings.length)
        return 0
      // One statement: atomic like SQLite's transaction. Rows go in the order given (ORDINALITY), so of two equal
      // keys in one batch the first is kept, as INSERT OR IGNORE row by row keeps it; the row count is the new ones.
      const r = await pool.query(`INSERT INTO sensor_readings (station_id, at, value, received_at)
        SELECT s, a, v, $4 FROM unnest($1::text[], $2::text[], $3::float8[]) WITH ORDINALITY AS r (s, a, v, i) ORDER BY i
        ON CONFLICT (station_id, at) DO NOTHING`, [readings.map(x => x.stationId), readings.map(x => x.at), readings.map(x => x.value), receivedAt])
      return r.rowCount ?? 0
    },
    // The newest row per station (SQLite takes the bare column beside MAX() from that row), by station as SQLite's
    // GROUP BY over the primary key answers them.
    latest: async () => (await rows<Row>(pool, 'SELECT DISTINCT ON (station_id) station_id, at, value FROM sensor_readings ORDER BY station_id, at DESC')).map(reading),
    // A negative LIMIT is "no limit" in SQLite and an error in PostgreSQL, where LIMIT NULL is none.
    series: async (stationId, from, to, limit) => (await rows<Row>(pool, 'SELECT station_id, at, value FROM sensor_readings WHERE station_id = $1 AND at >= $2 AND at < $3 ORDER BY at LIMIT $4', [stationId, from, to, limit < 0 ? null : limit])).map(reading),
    trim: async before => (await pool.query('DELETE FROM sensor_readings WHERE at < $1', [before])).rowCount ?? 0,
  }, pgProblemOf)
}
