import type pg from 'pg'
import type { Store } from '../store.ts'
import { createPgAfterActionStore } from './after-action.ts'
import { createPgAuth } from './auth.ts'
import { createPgChannelStore } from './channels.ts'
import { createPgRegisterStore } from './register.ts'
import { createPgScoring } from './scoring.ts'
import { createPgSensorStore } from './sensors.ts'
import { createPgWebhookStore } from './webhooks.ts'

/** The stores beside the change log, on the tenant's pool. */
export function createPgSubstores(pool: pg.Pool): Pick<Store, 'auth' | 'scoring' | 'webhooks' | 'register' | 'afterAction' | 'sensors' | 'channels'> {
  return {
    auth: createPgAuth(pool),
    scoring: createPgScoring(pool),
    webhooks: createPgWebhookStore(pool),
    register: createPgRegisterStore(pool),
    afterAction: createPgAfterActionStore(pool),
    sensors: createPgSensorStore(pool),
    channels: createPgChannelStore(pool),
  }
}
