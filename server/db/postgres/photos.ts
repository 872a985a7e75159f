import type pg from 'pg'
import type { PhotoBlobs, PhotoStore } from '../../photos/service.ts'
import { createPhotoStoreOn, PHOTO_CONTENT_TYPE } from '../../photos/service.ts'
import { withProblems } from '../errors.ts'
import { pgProblemOf } from './failure.ts'
import { one } from './pool.ts'

// Photos in the tenant's database, so a photo uploaded through one node is served by every other (#19). Only
// PostgreSQL has this table: SQLite installs are one process and keep photos as files (server/photos/disk.ts).

export const PG_PHOTOS_DDL = `
  CREATE TABLE photos (
    id TEXT NOT NULL,
    variant TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    content_type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (id, variant)
  );
`

function createPgPhotoBlobs(pool: pg.Pool): PhotoBlobs {
  return {
    has: async id => (await one(pool, 'SELECT 1 FROM photos WHERE id = $1 AND variant = \'full\'', [id])) !== null,
    async put(id, variants) {
      // Both variants in one statement, so none is ever stored without the other. Ids are content hashes: a row
      // already there (a retry, or the same photo through another node at the same time) holds the same bytes.
      const r = await pool.query<{ variant: string }>(`INSERT INTO photos (id, variant, bytes, content_type, created_at)
        VALUES ($1, 'thumb', $2, $4, $5), ($1, 'full', $3, $4, $5)
        ON CONFLICT (id, variant) DO NOTHING RETURNING variant`, [id, variants.thumb, variants.full, PHOTO_CONTENT_TYPE, new Date().toISOString()])
      return r.rows.some(row => row.variant === 'full')
    },
    get: async (id, variant) => (await one<{ bytes: Buffer }>(pool, 'SELECT bytes FROM photos WHERE id = $1 AND variant = $2', [id, variant]))?.bytes ?? null,
  }
}

/** The photo store of the tenant whose schema `pool` searches; expects PG_PHOTOS_DDL to be in place. */
export function createPgPhotoStore(pool: pg.Pool): PhotoStore {
  return createPhotoStoreOn(withProblems(createPgPhotoBlobs(pool), pgProblemOf))
}
