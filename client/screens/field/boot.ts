import type { Task } from '../../../shared/wartime/schema.ts'
import { watch } from 'vue'
import { pinia } from '../../modules/pinia.ts'
import { socket } from '../../realtime/socket.ts'
import { taskAlert, unlockAudio } from './alert.ts'
import { useOutboxStore } from './outbox-store.ts'
import { useFieldTasksStore } from './tasks.ts'

let booted = false

/** Binds the field view's stores to the socket and to each other, once per page load. */
export function bootField(): void {
  if (booted)
    return
  booted = true
  const tasks = useFieldTasksStore(pinia)
  const outbox = useOutboxStore(pinia)
  tasks.bind(socket)
  outbox.onSent(({ op, result }) => {
    if (op.kind === 'task-status' && result)
      tasks.upsert(result as Task)
  })
  // A status the server refused for good (the task was cancelled meanwhile): stop showing it as on its way.
  watch(() => outbox.failed, (failed) => {
    for (const op of failed) {
      if (op.kind === 'task-status')
        tasks.clearPending(op.taskId)
    }
  })
  outbox.start()
  watch(() => tasks.rings, taskAlert)
  window.addEventListener('pointerdown', unlockAudio)
}
