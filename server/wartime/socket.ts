import type { Ack } from '../../shared/realtime/events.ts'
import type { Change } from '../../shared/sync/schema.ts'
import type { Task } from '../../shared/wartime/schema.ts'
import type { AppContext } from '../context.ts'
import type { IoSocket } from '../realtime/handler.ts'
import type { IoServer } from '../realtime/index.ts'
import { IdRequest, TaskStatusRequest } from '../../shared/wartime/schema.ts'
import { ackOf } from '../http/errors.ts'
import { acked, notice } from '../realtime/handler.ts'

type Answer = Parameters<Ack<Task>>[0]
const room = (personId: string) => `person:${personId}`

/**
 * Reports in flight over a socket, by task id, then socket id: how many, and the push the socket was spared. The
 * answer to a report carries the task, so the push that follows its commit skips the reporting socket (a phone
 * that acknowledges gets its task back once, not twice); a spared push its answer does not carry (a refusal,
 * another device's report first) is sent to it after all.
 */
const reporting = new Map<string, Map<string, { n: number, spared: Task | null }>>()

/** After each durable commit: tasks to their assignees, escalations to the supervisors they name. */
export function pushTasks(io: IoServer, changes: Change[]): void {
  for (const c of changes) {
    if (c.kind !== 'task')
      continue
    const sockets = reporting.get(c.data.id)
    sockets?.forEach(s => (s.spared = c.data))
    const to = io.to(room(c.data.assigneeId))
    ;(sockets ? to.except([...sockets.keys()]) : to).emit('task:changed', c.data)
    if (c.action === 'escalate')
      c.data.escalatedTo.forEach(id => io.to(room(id)).emit('task:escalated', c.data))
  }
}

/** Runs one report from this socket with its push spared; answers after the commit, as before. */
async function report(socket: IoSocket, taskId: string, run: () => Promise<Answer>): Promise<Answer> {
  const sockets = reporting.get(taskId) ?? new Map<string, { n: number, spared: Task | null }>()
  reporting.set(taskId, sockets)
  const mine = sockets.get(socket.id) ?? { n: 0, spared: null }
  sockets.set(socket.id, mine)
  mine.n++
  let answer: Answer | null = null
  try {
    answer = await run()
    return answer
  }
  finally {
    const spared = mine.spared
    mine.spared = null
    if (--mine.n === 0)
      sockets.delete(socket.id)
    if (sockets.size === 0 && reporting.get(taskId) === sockets)
      reporting.delete(taskId)
    if (spared && !(answer?.ok && answer.data.version >= spared.version))
      socket.emit('task:changed', spared)
  }
}

/** A responder's phone: presence, delivery receipts and reports on their own tasks. */
export function registerWartimeHandlers(socket: IoSocket, ctx: AppContext): void {
  const p = socket.data.principal
  const origin = { via: 'socket' as const, ip: socket.handshake.address }
  if (p.personId) {
    ctx.presence.connect(p.personId)
    socket.on('disconnect', () => ctx.presence.disconnect(p.personId!))
  }
  socket.on('task:received', notice<IdRequest>(IdRequest, req => ctx.wartime.received(socket.data.principal, req.id)))
  socket.on('task:status', acked<TaskStatusRequest, Task>(TaskStatusRequest, async req => report(socket, req.id, async () =>
    ackOf(await ctx.wartime.taskStatus({ principal: socket.data.principal, origin, opKey: `task:${req.id}:${req.opId}` }, req.id, req.body)))))
}
