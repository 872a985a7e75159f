import type { OutboxOp, OutboxStore } from './outbox.ts'
import { openDB } from 'idb'
import { memoryStore } from './outbox.ts'

const DB = 'onescreen-field'
const STORE = 'outbox'

/** The outbox in IndexedDB: it survives a closed tab, a dead battery and a reboot. Photos are kept as Blobs. */
export async function idbStore(): Promise<OutboxStore> {
  if (typeof indexedDB === 'undefined')
    return memoryStore()
  const db = await openDB(DB, 1, {
    upgrade(d) {
      d.createObjectStore(STORE, { keyPath: 'opId' }).createIndex('createdAt', 'createdAt')
    },
  })
  return {
    list: async () => await db.getAllFromIndex(STORE, 'createdAt') as OutboxOp[],
    put: async (op) => {
      await db.put(STORE, op)
    },
    delete: async (opId) => {
      await db.delete(STORE, opId)
    },
  }
}
