import type { EncodedRequest } from '../rows.ts'
import type { Statements } from './statements.ts'
import { parentPort, workerData } from 'node:worker_threads'
import { toWire } from '../rows.ts'
import { createBatchWriter } from './batch.ts'
import { openConnection } from './connection.ts'
import { prepare } from './statements.ts'

// The writer thread (server/db/sqlite/writer.ts starts it): its own connection to the store's file, on which every
// group commit runs, so the statements, COMMIT and fsync of a group do not hold the server's event loop. The server
// keeps its connection for reads and the small writes of the other stores (WAL lets them go on side by side).

const { file, busyMs } = workerData as { file: string, busyMs: number }
const port = parentPort!
try {
  const db = openConnection(file, busyMs)
  let stmts: Statements | null = null
  const write = createBatchWriter(db, () => (stmts ??= prepare(db)))
  port.on('message', (msg: { id: number, batch: EncodedRequest[] } | 'close') => {
    if (msg === 'close') {
      db.close()
      // Ends this thread only (tsx's loader keeps a port open, so the thread would not end by itself).
      process.exit(0)
    }
    port.postMessage({ id: msg.id, reply: write(msg.batch) })
  })
}
catch (e) {
  port.postMessage({ fatal: toWire(e) })
}
