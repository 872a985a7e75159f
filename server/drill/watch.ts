import type { PastOperation, Task } from '../../shared/wartime/schema.ts'
import type { Api, Caller } from './api.ts'
import type { TaskTrace } from './phones.ts'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { newTrace } from './phones.ts'

// The drill on a real install with the group's own phones: nothing is simulated, the drill watches the server's
// tasks until each is settled, and the report is the server's own after-action report of the exercise.

/** Done, ended with the operation, or unanswered after its escalation: nothing more will come of it by itself. */
export const settled = (t: Task) => t.state === 'done' || t.state === 'cancelled' || (t.ackAt === null && t.escalatedTo.length > 0)

/** What the server recorded of a real responder's task, on the drill's clock (`click` is performance.now() at `clickAt`). */
export function traceOf(t: Task, clickAt: number, click: number): TaskTrace {
  const rel = (iso: string | null) => (iso === null ? null : click + Date.parse(iso) - clickAt)
  return {
    ...newTrace(t.assigneeId, t.templateId, { temper: 'person', ackAfterMs: 0, travelMs: 0, workMs: 0 }),
    taskId: t.id,
    receivedAt: rel(t.deliveredAt),
    ackAt: rel(t.ackAt),
    onSceneAt: rel(t.onSceneAt),
    doneAt: rel(t.doneAt),
    last: t,
  }
}

/** Saves the server's after-action report of `operationId` (HTML and XLSX) into `dir`; null when it has none. */
export async function saveAfterAction(api: Api, as: Caller, operationId: string, dir: string, stem: string): Promise<{ html: string, xlsx: string } | null> {
  const past = (await api.get<PastOperation[]>('/api/operations', as)).find(o => o.id === operationId)
  if (!past)
    return null
  const files = { html: join(dir, `${stem}.html`), xlsx: join(dir, `${stem}.xlsx`) }
  await writeFile(files.html, await api.bytes(past.html, as))
  await writeFile(files.xlsx, await api.bytes(past.xlsx, as))
  return files
}
