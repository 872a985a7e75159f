import type { Change } from '../../shared/sync/schema.ts'
import type { Operation, Plan, Task, Warning, WartimeState } from '../../shared/wartime/schema.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef, triggerRef } from 'vue'
import { getJson } from '../ui/http.ts'

/** The emergency operation as a leader follows it: loaded once, then kept live from the change log. */
export const useLeaderWartimeStore = defineStore('leaderWartime', () => {
  const operation = shallowRef<Operation | null>(null)
  const plan = shallowRef<Plan | null>(null)
  const tasks = shallowRef(new Map<string, Task>())
  const warnings = shallowRef(new Map<string, Warning>())
  const loaded = shallowRef(false)

  const active = computed(() => operation.value?.active ? operation.value : null)
  const activeWarnings = computed(() => [...warnings.value.values()].filter(w => w.state === 'active'))
  const progress = computed(() => {
    const p = { total: 0, acknowledged: 0, onScene: 0, done: 0, late: 0 }
    const now = Date.now()
    for (const t of tasks.value.values()) {
      if (t.state === 'cancelled')
        continue
      p.total++
      if (t.ackAt || ['acknowledged', 'on_scene', 'done'].includes(t.state))
        p.acknowledged++
      else if (Date.parse(t.ackDeadline) < now)
        p.late++
      if (t.onSceneAt || t.state === 'on_scene' || t.state === 'done')
        p.onScene++
      if (t.state === 'done')
        p.done++
    }
    return p
  })

  async function load(): Promise<void> {
    const s = await getJson<WartimeState>('/api/wartime')
    operation.value = s.operation
    plan.value = s.plan
    tasks.value = new Map(s.tasks.map(t => [t.id, t]))
    warnings.value = new Map(s.warnings.map(w => [w.id, w]))
    loaded.value = true
  }

  /** Applies operation, task and warning changes from the live log. */
  function apply(changes: readonly Change[]): void {
    let reload = false
    for (const c of changes) {
      if (c.kind === 'operation') {
        if (c.data.planId !== operation.value?.planId || c.data.id !== operation.value?.id)
          reload = true // a new operation or plan: fetch its plan and tasks
        operation.value = c.data
      }
      else if (c.kind === 'task' && c.data.operationId === operation.value?.id) {
        const held = tasks.value.get(c.id)
        if (!held || held.version < c.data.version) {
          tasks.value.set(c.id, c.data)
          triggerRef(tasks)
        }
      }
      else if (c.kind === 'warning') {
        warnings.value.set(c.id, c.data)
        triggerRef(warnings)
      }
    }
    if (reload)
      void load().catch(err => console.warn('[wartime] reload failed', err))
  }

  return { operation, plan, tasks, warnings, loaded, active, activeWarnings, progress, load, apply }
})
