import type { Change } from '../../shared/sync/schema.ts'
import type { Operation, Plan, Task, Warning, WartimeState } from '../../shared/wartime/schema.ts'
import type { AppSocket } from '../realtime/socket.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef, triggerRef } from 'vue'
import { getJson, sendJson } from '../ui/http.ts'

interface Versioned { version: number }

/** Keeps the held entity unless the offered one is newer: a slow load never overwrites a live change. */
const newer = <T extends Versioned>(held: T | undefined | null, offered: T): boolean => !held || held.version < offered.version

/**
 * The emergency operation on the wall: operation, plans, tasks keyed by id, active warnings and who is online.
 * Loaded once (and after a snapshot), then kept live from the change log and presence events — never reloaded
 * because something changed.
 */
export const useWartimeStore = defineStore('wartime', () => {
  const operation = shallowRef<Operation | null>(null)
  const plans = shallowRef(new Map<string, Plan>())
  const tasks = shallowRef(new Map<string, Task>())
  const warnings = shallowRef(new Map<string, Warning>())
  const online = shallowRef(new Set<string>())
  const loaded = shallowRef(false)
  /** The action in flight (declare, activate, end, drill), so its button shows it and cannot be pressed twice. */
  const pending = shallowRef<string | null>(null)

  const active = computed(() => operation.value?.active === true)
  const plan = computed(() => (operation.value?.planId && plans.value.get(operation.value.planId)) || null)
  const opTasks = computed(() => [...tasks.value.values()].filter(t => t.operationId === operation.value?.id))
  const activeWarnings = computed(() => [...warnings.value.values()].filter(w => w.state === 'active').sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)))
  /** The warning that proposes wartime (a real one before an exercise), or null. */
  const proposal = computed(() => activeWarnings.value.find(w => w.proposal && !w.exercise) ?? activeWarnings.value.find(w => w.proposal) ?? null)

  function setOperation(op: Operation): void {
    const held = operation.value
    if (held && held.id === op.id && !newer(held, op))
      return
    if (held && held.id !== op.id) {
      if (!op.active && held.active)
        return // an old operation's late change never replaces the running one
      // A new operation: the last one's tasks leave the wall, so weeks of drills cost what one does.
      for (const [id, t] of tasks.value) {
        if (t.operationId === held.id)
          tasks.value.delete(id)
      }
      triggerRef(tasks)
    }
    operation.value = op
  }

  function setTask(t: Task): boolean {
    if (!newer(tasks.value.get(t.id), t))
      return false
    tasks.value.set(t.id, t)
    return true
  }

  function setWarning(w: Warning): boolean {
    if (!newer(warnings.value.get(w.id), w))
      return false
    if (w.state === 'active')
      warnings.value.set(w.id, w)
    else
      warnings.value.delete(w.id)
    return true
  }

  async function load(): Promise<void> {
    const [s, list] = await Promise.all([getJson<WartimeState>('/api/wartime'), getJson<Plan[]>('/api/plans')])
    for (const p of list) {
      if (newer(plans.value.get(p.id), p))
        plans.value.set(p.id, p)
    }
    triggerRef(plans)
    if (s.operation)
      setOperation(s.operation)
    else if (operation.value?.active)
      operation.value = null // ended while we were away and its change is no longer in reach
    s.tasks.forEach(setTask)
    triggerRef(tasks)
    // Warnings no longer active are not listed: drop the ones we hold that the server has let go.
    const listed = new Set(s.warnings.map(w => w.id))
    for (const id of warnings.value.keys()) {
      if (!listed.has(id))
        warnings.value.delete(id)
    }
    s.warnings.forEach(setWarning)
    triggerRef(warnings)
    online.value = new Set(s.online)
    loaded.value = true
  }

  /** Applies operation, task, warning and plan changes from the live log, in seq order. */
  function apply(changes: readonly Change[]): void {
    let t = false
    let w = false
    let p = false
    for (const c of changes) {
      if (c.kind === 'operation') {
        setOperation(c.data)
      }
      else if (c.kind === 'task') {
        t = setTask(c.data) || t
      }
      else if (c.kind === 'warning') {
        w = setWarning(c.data) || w
      }
      else if (c.kind === 'plan' && newer(plans.value.get(c.id), c.data)) {
        plans.value.set(c.id, c.data)
        p = true
      }
    }
    if (t)
      triggerRef(tasks)
    if (w)
      triggerRef(warnings)
    if (p)
      triggerRef(plans)
  }

  function presence(e: { personId: string, online: boolean }): void {
    if (online.value.has(e.personId) === e.online)
      return
    if (e.online)
      online.value.add(e.personId)
    else
      online.value.delete(e.personId)
    triggerRef(online)
  }

  function bind(socket: AppSocket): void {
    socket.on('presence:changed', presence)
  }

  async function act<T>(name: string, path: string, body: unknown): Promise<T> {
    pending.value = name
    try {
      return await sendJson<T>(path, body)
    }
    finally {
      pending.value = null
    }
  }

  /** Commander: declares wartime, from the proposing warning when there is one. */
  async function declare(reason: string, warning: Warning | null): Promise<void> {
    const op = await act<Operation>('declare', '/api/wartime/declare', {
      reason,
      ...(warning ? { warningId: warning.id } : {}),
      ...(warning?.proposal ? { planId: warning.proposal.planId } : {}),
    })
    setOperation(op)
  }

  async function activate(planId: string): Promise<void> {
    setOperation(await act<Operation>('activate', '/api/wartime/activate', { planId }))
  }

  async function end(reason: string): Promise<void> {
    setOperation(await act<Operation>('end', '/api/wartime/end', { reason }))
  }

  async function startDrill(): Promise<void> {
    await act<unknown>('drill', '/api/drill', {})
  }

  return { operation, plans, tasks, warnings, online, loaded, pending, active, plan, opTasks, activeWarnings, proposal, load, apply, presence, bind, declare, activate, end, startDrill }
})
