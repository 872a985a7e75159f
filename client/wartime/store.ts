import type { Change } from '../../shared/sync/schema.ts'
import type { Operation, Plan, Task, Warning, WartimeState } from '../../shared/wartime/schema.ts'
import type { AppSocket } from '../realtime/socket.ts'
import type { WartimeHeld, WartimePart } from './reconcile.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef, triggerRef } from 'vue'
import { getJson, sendJson } from '../ui/http.ts'
import { activeWarnings, headlineWarning, proposalOf } from './logic.ts'
import { applyChanges, applyLoad, holdOperation } from './reconcile.ts'

/**
 * The emergency operation as every screen holds it (the wall's layout and header, the leaders' view): operation,
 * plans, tasks keyed by id, warnings and who is online. Loaded once (and after a snapshot), then kept live from
 * the change log, every entity by version — never reloaded because something changed.
 */
export const useWartimeStore = defineStore('wartime', () => {
  const operation = shallowRef<Operation | null>(null)
  const plans = shallowRef(new Map<string, Plan>())
  const tasks = shallowRef(new Map<string, Task>())
  const warnings = shallowRef(new Map<string, Warning>())
  /** Who is online: followed live only where presence is bound (the wall's unreachable list). */
  const online = shallowRef(new Set<string>())
  const loaded = shallowRef(false)
  /** The command in flight (declare, activate, end, drill), so its button shows it and cannot be pressed twice. */
  const pending = shallowRef<string | null>(null)
  /** Loads in flight, each with the keys that live news touched meanwhile (see applyLoad). */
  const inFlight = new Set<Set<string>>()
  /** Plans already read again for an operation that named them (once each, so a missing plan cannot loop). */
  const askedFor = new Set<string>()

  const active = computed(() => operation.value?.active === true)
  const plan = computed(() => (operation.value?.planId && plans.value.get(operation.value.planId)) || null)
  const opTasks = computed(() => [...tasks.value.values()].filter(t => t.operationId === operation.value?.id))
  const liveWarnings = computed(() => activeWarnings(warnings.value.values()))
  const proposal = computed(() => proposalOf(liveWarnings.value))
  const headline = computed(() => headlineWarning(liveWarnings.value))

  function merge(step: (held: WartimeHeld) => Set<WartimePart>): void {
    const held = { operation: operation.value, plans: plans.value, tasks: tasks.value, warnings: warnings.value }
    const changed = step(held)
    operation.value = held.operation
    const refs = { plans, tasks, warnings }
    for (const part of changed) {
      if (part !== 'operation')
        triggerRef(refs[part])
    }
  }

  /** The running operation names a plan this screen does not hold (the leaders' view holds that one only). */
  function ensurePlan(): void {
    const id = operation.value?.planId
    if (!id || plans.value.has(id) || inFlight.size > 0 || askedFor.has(id))
      return
    askedFor.add(id)
    void load().catch(err => console.warn('[wartime] reading the plan failed', err))
  }

  /** Reads `GET /api/wartime`, and every plan when `allPlans` (the wall offers a proposed plan before it runs). */
  async function load(opts: { allPlans?: boolean } = {}): Promise<void> {
    const touched = new Set<string>()
    inFlight.add(touched)
    try {
      const [s, list] = await Promise.all([getJson<WartimeState>('/api/wartime'), opts.allPlans ? getJson<Plan[]>('/api/plans') : []])
      merge(held => applyLoad(held, s, list, touched))
      online.value = new Set(s.online)
      loaded.value = true
    }
    finally {
      inFlight.delete(touched)
    }
    ensurePlan()
  }

  function live(keys: Iterable<string>, step: (held: WartimeHeld) => Set<WartimePart>): void {
    merge(step)
    for (const k of keys) inFlight.forEach(t => t.add(k))
    ensurePlan()
  }

  /** Applies operation, plan, task and warning changes from the live log, in seq order. */
  function apply(changes: readonly Change[]): void {
    const touched = new Set<string>()
    live(touched, held => applyChanges(held, changes, touched))
  }

  /** An operation a command answered with, held like a live change: the screen need not wait for the log. */
  function hold(op: Operation): void {
    live(['operation'], held => holdOperation(held, op))
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

  /** Follows presence events (the wall); other screens keep the list as the last load gave it. */
  function bind(socket: AppSocket): void {
    socket.on('presence:changed', presence)
  }

  async function command<T>(name: string, path: string, body: unknown): Promise<T> {
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
    hold(await command<Operation>('declare', '/api/wartime/declare', {
      reason,
      ...(warning ? { warningId: warning.id } : {}),
      ...(warning?.proposal ? { planId: warning.proposal.planId } : {}),
    }))
  }

  async function activate(planId: string): Promise<void> {
    hold(await command<Operation>('activate', '/api/wartime/activate', { planId }))
  }

  async function end(reason: string): Promise<void> {
    hold(await command<Operation>('end', '/api/wartime/end', { reason }))
  }

  /** The drill: the demo's as it is, or (elsewhere) an exercise of a chosen plan for a chosen group. */
  async function startDrill(body: { planId?: string, group?: string } = {}): Promise<void> {
    await command<unknown>('drill', '/api/drill', body)
  }

  return { operation, plans, tasks, warnings, online, loaded, pending, active, plan, opTasks, activeWarnings: liveWarnings, proposal, headline, load, apply, presence, bind, declare, activate, end, startDrill }
})
