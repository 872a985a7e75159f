import type { Message } from '../../shared/messages/schema.ts'
import type { Task } from '../../shared/wartime/schema.ts'
import type { AppSocket } from '../realtime/socket.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { useSessionStore } from '../auth/store.ts'
import { getJson } from '../ui/http.ts'

/** What a phone must acknowledge: a message from the command center, or a task escalated to me as supervisor. */
export type Notice
  = | { kind: 'message', id: string, at: string, message: Message }
    | { kind: 'escalation', id: string, at: string, task: Task }

/** How many escalations a screen keeps: a storm can escalate dozens, and only the newest matter. */
const KEEP_ESCALATIONS = 30

/**
 * A person's inbox on a phone or desk: messages sent to me that I have not acknowledged, and escalations of
 * tasks I supervise. A message is confirmed delivered the moment it arrives; "收到" confirms it read.
 */
export const useInboxStore = defineStore('inbox', () => {
  const messages = shallowRef<Message[]>([])
  const escalations = shallowRef<{ id: string, at: string, task: Task }[]>([])
  /** Bumped for each new notice that should sound and vibrate. */
  const rings = shallowRef(0)
  let s: AppSocket | null = null

  // Read when a message arrives, not in setup: who is signed in changes under a page that stays open.
  const me = () => useSessionStore().principal?.personId ?? null
  const notices = computed<Notice[]>(() => [
    ...messages.value.map(m => ({ kind: 'message' as const, id: m.id, at: m.sentAt, message: m })),
    ...escalations.value.map(e => ({ kind: 'escalation' as const, ...e })),
  ].sort((a, b) => a.at.localeCompare(b.at)))

  function mine(m: Message) {
    return m.recipients.find(r => r.personId === me())
  }

  /** A message for me: confirm delivery; hold it until acknowledged. Answers whether it is new here. */
  function receive(m: Message): boolean {
    const r = mine(m)
    if (!r)
      return false
    if (!r.deliveredAt)
      s?.emit('message:received', { id: m.id })
    if (r.readAt || messages.value.some(x => x.id === m.id))
      return false
    messages.value = [...messages.value, m]
    return true
  }

  function arrive(m: Message): void {
    if (receive(m))
      rings.value++
  }

  /** Messages sent while this phone was offline (or before the page loaded): the server keeps mine. */
  async function load(): Promise<void> {
    let fresh = 0
    for (const m of await getJson<Message[]>('/api/messages')) {
      if (receive(m))
        fresh++
    }
    if (fresh)
      rings.value++
  }

  function acknowledge(id: string): void {
    s?.emit('message:read', { id })
    messages.value = messages.value.filter(m => m.id !== id)
  }

  function escalated(task: Task): void {
    const id = `${task.id}:${task.version}`
    if (escalations.value.some(e => e.task.id === task.id && e.task.version >= task.version))
      return
    escalations.value = [...escalations.value.filter(e => e.task.id !== task.id), { id, at: task.updatedAt, task }].slice(-KEEP_ESCALATIONS)
    rings.value++
  }

  function dismiss(id: string): void {
    escalations.value = escalations.value.filter(e => e.id !== id)
  }

  function bind(sock: AppSocket): void {
    s = sock
    sock.on('message:new', arrive)
    sock.on('task:escalated', escalated)
    const reload = () => void load().catch(err => console.warn('[inbox] load failed', err))
    sock.on('connect', reload)
    if (sock.connected)
      reload()
  }

  return { messages, escalations, notices, rings, receive, arrive, load, acknowledge, escalated, dismiss, bind }
})
