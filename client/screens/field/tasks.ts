import type { Task, TaskStatusBody } from '../../../shared/wartime/schema.ts'
import type { AppSocket } from '../../realtime/socket.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef, triggerRef } from 'vue'
import { getJson } from '../../ui/http.ts'

const ORDER: Record<Task['state'], number> = { sent: 0, delivered: 0, acknowledged: 1, on_scene: 2, done: 3, cancelled: 4 }

/** The grid worker's wartime tasks: pushed to `person:<id>`, confirmed on receipt, answered through the outbox. */
export const useFieldTasksStore = defineStore('fieldTasks', () => {
  const byId = shallowRef(new Map<string, Task>())
  /** Status sent from this phone and not yet confirmed by the server: shown at once, marked as pending. */
  const pendingState = shallowRef(new Map<string, TaskStatusBody['state']>())
  /** Bumped for each task that should ring (new, or re-sent because nobody answered). */
  const rings = shallowRef(0)
  const list = computed(() => [...byId.value.values()].sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.sentAt.localeCompare(a.sentAt)))
  const open = computed(() => list.value.filter(t => t.state !== 'done' && t.state !== 'cancelled'))
  let socketRef: AppSocket | null = null

  /** Keeps the newer version; answers whether the task is new to this phone or was re-sent. */
  function upsert(task: Task): boolean {
    const held = byId.value.get(task.id)
    if (held && held.version >= task.version)
      return false
    byId.value.set(task.id, task)
    const pend = pendingState.value.get(task.id)
    if (pend && ORDER[task.state] >= ORDER[pend]) {
      pendingState.value.delete(task.id)
      triggerRef(pendingState)
    }
    triggerRef(byId)
    return !held || task.resends > held.resends
  }

  function receive(task: Task): void {
    const fresh = upsert(task)
    // A delivery receipt for every task this phone holds that nobody has confirmed yet: the console sees "delivered".
    if (task.state === 'sent')
      socketRef?.emit('task:received', { id: task.id })
    if (fresh && (task.state === 'sent' || task.state === 'delivered'))
      rings.value++
  }

  async function load(): Promise<void> {
    const tasks = await getJson<Task[]>('/api/tasks/mine')
    for (const t of tasks) receive(t)
  }

  function markPending(id: string, state: TaskStatusBody['state']): void {
    pendingState.value.set(id, state)
    triggerRef(pendingState)
  }

  function clearPending(id: string): void {
    if (pendingState.value.delete(id))
      triggerRef(pendingState)
  }

  function bind(socket: AppSocket): void {
    socketRef = socket
    socket.on('task:changed', receive)
    socket.on('connect', () => void load().catch(err => console.warn('[tasks] load failed', err)))
    if (socket.connected)
      void load().catch(err => console.warn('[tasks] load failed', err))
  }

  return { byId, list, open, pendingState, rings, upsert, receive, load, markPending, clearPending, bind }
})
