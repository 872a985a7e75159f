import type { Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.ts'
import type { Task, TaskStatusBody } from '../../shared/wartime/schema.ts'
import type { Session } from './api.ts'
import type { Script } from './behaviour.ts'
import { randomUUID } from 'node:crypto'
import { io } from 'socket.io-client'

// A simulated responder's phone: a real Socket.IO client signed in as that person. It confirms receipt the
// moment a task arrives (as the field app does), then answers as its script says.

type PhoneSocket = Socket<ServerToClientEvents, ClientToServerEvents>
type Step = TaskStatusBody['state']

/** What one phone saw and did for one task, in the drill's clock (performance.now(), ms). */
export interface TaskTrace {
  /** Known once the task arrives. */
  taskId: string
  personId: string
  templateId: string
  script: Script
  receivedAt: number | null
  pushes: number
  resentAt: number | null
  escalatedAt: number | null
  /** When the server confirmed each step (the ack came back). */
  ackAt: number | null
  onSceneAt: number | null
  doneAt: number | null
  cancelledAt: number | null
  last: Task | null
  errors: string[]
}

export interface Phone {
  personId: string
  traces: TaskTrace[]
  /** Escalations of others' tasks pushed to this phone (it is their grid instructor or contact leader). */
  escalationNotices: { taskId: string, at: number }[]
  disconnects: number
  /** The script has run its course: done, or silent and escalated, or the task ended. */
  finished: () => boolean
  close: () => void
}

const clock = () => performance.now()

/** Connects `personId`'s phone; it answers the tasks of operation `operationId()` that `traces` expect. */
export async function connectPhone(url: string, session: Session, since: number, personId: string, traces: TaskTrace[], operationId: () => string | null, log: (line: string) => void): Promise<Phone> {
  const socket: PhoneSocket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    auth: { since, stream: false },
    extraHeaders: { cookie: session.cookie },
    reconnectionDelay: 200,
    reconnectionDelayMax: 2000,
  })
  const byTemplate = new Map(traces.map(t => [t.templateId, t]))
  const timers = new Set<NodeJS.Timeout>()
  let closed = false
  const phone: Phone = {
    personId,
    traces,
    escalationNotices: [],
    disconnects: 0,
    finished: () => traces.every(t => t.doneAt !== null || t.cancelledAt !== null || (t.script.temper === 'silent' && t.escalatedAt !== null)),
    close() {
      closed = true
      timers.forEach(clearTimeout)
      socket.close()
    },
  }

  const later = (ms: number, f: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!closed)
        f()
    }, ms)
    timers.add(timer)
  }

  /** Reports a step; the same op id on every retry, so a retry never counts twice. */
  async function report(t: TaskTrace, state: Step): Promise<boolean> {
    const opId = randomUUID()
    for (let attempt = 1; attempt <= 5; attempt++) {
      if (closed)
        return false
      try {
        const res = await socket.timeout(10_000).emitWithAck('task:status', { opId, id: t.taskId, body: { state } })
        if (res.ok) {
          keep(t, res.data)
          return true
        }
        if (res.status !== 409)
          t.errors.push(`${state}: ${res.status} ${res.error}`)
        return false
      }
      catch {
        // No answer within 10 s (a dropped connection): socket.io re-sends buffered emits after reconnecting.
      }
    }
    if (!closed)
      t.errors.push(`${state}: no answer after 5 tries`)
    return false
  }

  function keep(t: TaskTrace, task: Task) {
    if (!t.last || task.version > t.last.version)
      t.last = task
    const at = clock()
    if (task.state === 'acknowledged' || task.state === 'on_scene' || task.state === 'done')
      t.ackAt ??= at
    if (task.state === 'on_scene' || task.state === 'done')
      t.onSceneAt ??= at
    if (task.state === 'done')
      t.doneAt ??= at
  }

  function answer(t: TaskTrace) {
    void report(t, 'acknowledged').then((ok) => {
      if (ok) {
        later(t.script.travelMs, () => void report(t, 'on_scene').then((ok2) => {
          if (ok2)
            later(t.script.workMs, () => void report(t, 'done'))
        }))
      }
    })
  }

  function onTask(task: Task) {
    const t = task.operationId === operationId() ? byTemplate.get(task.templateId) : undefined
    if (!t)
      return
    t.taskId = task.id
    const at = clock()
    t.pushes++
    const first = t.receivedAt === null
    t.receivedAt ??= at
    if (task.state === 'sent')
      socket.emit('task:received', { id: task.id })
    const resent = task.resends > (t.last?.resends ?? 0) && t.resentAt === null
    if (resent)
      t.resentAt = at
    if (task.escalatedTo.length > 0)
      t.escalatedAt ??= at
    if (task.state === 'cancelled') {
      t.cancelledAt ??= at
    }
    if (!t.last || task.version > t.last.version)
      t.last = task
    const open = t.ackAt === null && task.state !== 'cancelled' && task.state !== 'acknowledged' && task.state !== 'on_scene' && task.state !== 'done'
    if (open && first && t.script.temper === 'prompt')
      later(t.script.ackAfterMs, () => answer(t))
    if (open && resent && t.script.temper === 'late')
      later(t.script.ackAfterMs, () => answer(t))
  }

  socket.on('task:changed', onTask)
  // Back after a drop (as the field app does): whatever was pushed meanwhile is fetched, not lost.
  socket.io.on('reconnect', () => {
    void fetch(`${url}/api/tasks/mine`, { headers: { cookie: session.cookie } })
      .then(async res => (res.ok ? (await res.json() as Task[]) : []))
      .then(tasks => tasks.forEach(onTask), (e: unknown) => log(`手机 ${personId} 重连后取任务失败：${String(e)}`))
  })
  socket.on('task:escalated', task => phone.escalationNotices.push({ taskId: task.id, at: clock() }))
  socket.on('disconnect', (reason) => {
    if (!closed) {
      phone.disconnects++
      log(`手机断线 ${personId}：${reason}`)
    }
  })

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`phone ${personId} did not connect and sync within 15 s`)), 15_000)
    // The catch-up message comes after the server has put this socket in its person's room.
    const synced = () => {
      clearTimeout(timer)
      resolve()
    }
    socket.once('sync:changes', synced)
    socket.once('sync:snapshot', synced)
    socket.once('connect_error', (e) => {
      clearTimeout(timer)
      reject(new Error(`phone ${personId} could not connect: ${e.message}`))
    })
  })
  return phone
}

export function newTrace(personId: string, templateId: string, script: Script): TaskTrace {
  return { taskId: '', personId, templateId, script, receivedAt: null, pushes: 0, resentAt: null, escalatedAt: null, ackAt: null, onSceneAt: null, doneAt: null, cancelledAt: null, last: null, errors: [] }
}
