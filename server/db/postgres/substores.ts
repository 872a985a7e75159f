import type pg from 'pg'
import type { Store } from '../store.ts'

export function createPgSubstores(_pool: pg.Pool): Pick<Store, 'auth' | 'scoring' | 'webhooks' | 'register' | 'afterAction' | 'sensors' | 'channels'> {
  return {} as never
}
