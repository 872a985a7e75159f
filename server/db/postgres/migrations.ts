import { PG_AFTER_ACTION_DDL } from './after-action.ts'
import { PG_AUTH_DDL } from './auth.ts'
import { PG_CHANNEL_DDL } from './channels.ts'
import { PG_CHEAPER_INCIDENT_INDEXES, PG_CORE_DDL } from './core-schema.ts'
import { PG_PHOTOS_DDL } from './photos.ts'
import { PG_PRESENCE_DDL } from './presence.ts'
import { PG_REGISTER_DDL } from './register.ts'
import { PG_SCORING_DDL } from './scoring.ts'
import { PG_SENSOR_DDL } from './sensors.ts'
import { PG_THROTTLE_DDL } from './throttle.ts'
import { PG_WEBHOOK_DDL } from './webhooks.ts'

// Ordered migrations of a tenant's schema on PostgreSQL. Append only: never edit a migration that has shipped. The
// first is the whole schema as SQLite's migrations had left it when this dialect arrived (#19); from here on a change
// lands in both dialects' lists together (tests/server/db/postgres/schema.test.ts compares the two).
export const PG_MIGRATIONS: string[] = [
  [PG_CORE_DDL, PG_AUTH_DDL, PG_SCORING_DDL, PG_WEBHOOK_DDL, PG_REGISTER_DDL, PG_AFTER_ACTION_DDL, PG_SENSOR_DDL, PG_CHANNEL_DDL, PG_PHOTOS_DDL, PG_THROTTLE_DDL, PG_PRESENCE_DDL].join('\n'),
  // Indexes only: SQLite's list has nothing to match.
  PG_CHEAPER_INCIDENT_INDEXES,
]
