import type { Incident } from '../../../shared/incident/schema.ts'
import type { Task } from '../../../shared/wartime/schema.ts'
import { watch } from 'vue'
import { useSessionStore } from '../../auth/store.ts'
import { pinia } from '../../modules/pinia.ts'
import { socket } from '../../realtime/socket.ts'
import { taskAlert, unlockAudio } from './alert.ts'
import { useFieldCasesStore } from './cases.ts'
import { useOutboxStore } from './outbox-store.ts'
import { useFieldTasksStore } from './tasks.ts'

let booted = false

/** Binds the field view's stores to the socket and to each other, once per page load. */
export function bootField(personId: string): void {
  if (booted)
    return
  booted = true
  const tasks = useFieldTasksStore(pinia)
  const outbox = useOutboxStore(pinia)
  const cases = useFieldCasesStore(pinia)
  const session = useSessionStore(pinia)
  tasks.bind(socket)
  cases.bind(socket, personId, () => session.principal?.roles ?? [])
  outbox.onSent(({ op, result }) => {
    if (op.kind === 'task-status' && result)
      tasks.upsert(result as Task)
    if (op.kind === 'incident-action' && result)
      cases.acted(result as Incident)
  })
  outbox.onRefused(r => void cases.refused(r))
  // A status the server refused for good (the task was cancelled meanwhile): stop showing it as on its way.
  watch(() => outbox.failed, (failed) => {
    for (const op of failed) {
      if (op.kind === 'task-status')
        tasks.clearPending(op.taskId)
    }
  })
  outbox.start()
  watch(() => tasks.rings, taskAlert)
  watch(() => cases.rings, taskAlert)
  window.addEventListener('pointerdown', unlockAudio)
}
