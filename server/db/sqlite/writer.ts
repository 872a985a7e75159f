import type { Writer } from '../group-commit.ts'
import type { BatchReply, EncodedRequest, WireError } from '../rows.ts'
import { Worker } from 'node:worker_threads'

/** Writes on this thread (an in-memory store cannot be opened twice). */
export function inlineWriter(write: (batch: EncodedRequest[]) => BatchReply): Writer {
  return { write: async batch => write(batch), close: async () => {} }
}

type FromThread = { fatal: WireError } | { id: number, reply: BatchReply }

/**
 * Writes on a worker thread with its own connection to `file`, started on the first write and again after it died.
 * One group at a time is in the thread; a thread that dies fails its group: nothing of it is answered as committed.
 * (Had it committed before dying, a retry with the same op key is answered from the log, and screens fetch the seqs
 * they never heard as a gap.)
 */
export function threadWriter(file: string, busyMs: number): Writer {
  let worker: Worker | null = null
  let nextId = 0
  const waiting = new Map<number, (r: BatchReply) => void>()

  function failAll(error: WireError): void {
    for (const [id, resolve] of waiting) {
      waiting.delete(id)
      resolve({ seconds: 0, failed: error })
    }
  }

  function start(): Worker {
    const w = new Worker(new URL('./writer-boot.mjs', import.meta.url), { workerData: { file, busyMs } })
    w.on('message', (msg: FromThread) => {
      if ('fatal' in msg) {
        failAll(msg.fatal)
        return
      }
      if ('id' in msg) {
        const resolve = waiting.get(msg.id)
        waiting.delete(msg.id)
        if (waiting.size === 0)
          w.unref()
        resolve?.(msg.reply)
      }
    })
    w.on('error', e => failAll({ name: 'WriterThreadError', message: `the writer thread failed: ${e.message}` }))
    w.on('exit', (code) => {
      if (worker === w)
        worker = null
      failAll({ name: 'WriterThreadError', message: `the writer thread stopped (exit code ${code})` })
    })
    w.unref()
    return w
  }

  return {
    write(batch) {
      return new Promise((resolve) => {
        worker ??= start()
        const id = ++nextId
        waiting.set(id, resolve)
        // Held while a group is in the thread: the process does not exit under an unanswered write.
        worker.ref()
        worker.postMessage({ id, batch })
      })
    },
    async close() {
      const w = worker
      worker = null
      if (!w)
        return
      const exited = new Promise(resolve => w.once('exit', resolve))
      w.ref()
      w.postMessage('close')
      await exited
    },
  }
}
