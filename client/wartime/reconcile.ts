import type { Change } from '../../shared/sync/schema.ts'
import type { Operation, Plan, Task, Warning, WartimeState } from '../../shared/wartime/schema.ts'

// How live changes and loads merge into what a screen holds of the emergency operation (excalidraw's reconcile is
// the model): every entity carries a version, and only a newer one replaces what is held. Pure, with a big test.

/** What a screen holds. The maps are changed in place (the store triggers them); the operation is replaced. */
export interface WartimeHeld {
  operation: Operation | null
  plans: Map<string, Plan>
  tasks: Map<string, Task>
  warnings: Map<string, Warning>
}
export type WartimePart = 'operation' | 'plans' | 'tasks' | 'warnings'

interface Entity { id: string, version: number }

/** Only a newer version replaces the held one: a slow load or a replayed change never takes a screen back. */
export const isNewer = (held: Entity | null | undefined, offered: Entity): boolean => !held || held.version < offered.version

function holdEntity<T extends Entity>(map: Map<string, T>, e: T): boolean {
  if (!isNewer(map.get(e.id), e))
    return false
  map.set(e.id, e)
  return true
}

/** Holds an operation unless the held one is newer; a new operation lets the last one's tasks go. */
export function holdOperation(held: WartimeHeld, op: Operation, changed = new Set<WartimePart>()): Set<WartimePart> {
  const cur = held.operation
  if (cur && cur.id === op.id && !isNewer(cur, op))
    return changed
  if (cur && cur.id !== op.id) {
    if (!op.active && cur.active)
      return changed // an old operation's late change never replaces the running one
    // A new operation: the last one's tasks go, so weeks of drills cost what one does.
    for (const [id, t] of held.tasks) {
      if (t.operationId === cur.id && held.tasks.delete(id))
        changed.add('tasks')
    }
  }
  held.operation = op
  return changed.add('operation')
}

/** The key a load's silence is weighed against: the operation, or one warning. */
const keyOf = (c: Change): string | null => c.kind === 'operation' ? 'operation' : c.kind === 'warning' ? `warning:${c.id}` : null

/**
 * Applies operation, plan, task and warning changes from the live log, in seq order, each by version. Warnings
 * that ended stay held (as a version to compare against) and are simply not active. Adds to `touched` the keys
 * it saw, for a load in flight (see applyLoad). Returns the parts that changed.
 */
export function applyChanges(held: WartimeHeld, changes: readonly Change[], touched?: Set<string>): Set<WartimePart> {
  const changed = new Set<WartimePart>()
  for (const c of changes) {
    if (c.kind === 'operation')
      holdOperation(held, c.data, changed)
    else if (c.kind === 'task' && holdEntity(held.tasks, c.data))
      changed.add('tasks')
    else if (c.kind === 'warning' && holdEntity(held.warnings, c.data))
      changed.add('warnings')
    else if (c.kind === 'plan' && holdEntity(held.plans, c.data))
      changed.add('plans')
    const key = keyOf(c)
    if (key)
      touched?.add(key)
  }
  return changed
}

/**
 * Merges a `GET /api/wartime` answer and, where the screen asks for them, every plan. What is listed merges by
 * version. What the answer leaves out has gone while we were away (an operation ended, a warning no longer
 * active) and is let go, unless a live change `touched` it while the answer was on its way: then the answer's
 * silence is the older news.
 */
export function applyLoad(held: WartimeHeld, s: WartimeState, plans: readonly Plan[], touched: ReadonlySet<string>): Set<WartimePart> {
  const changed = new Set<WartimePart>()
  for (const p of [...plans, ...(s.plan ? [s.plan] : [])]) {
    if (holdEntity(held.plans, p))
      changed.add('plans')
  }
  if (s.operation) {
    holdOperation(held, s.operation, changed)
  }
  else if (held.operation?.active && !touched.has('operation')) {
    held.operation = null
    changed.add('operation')
  }
  for (const t of s.tasks) {
    if (holdEntity(held.tasks, t))
      changed.add('tasks')
  }
  const listed = new Set(s.warnings.map(w => w.id))
  for (const w of s.warnings) {
    if (holdEntity(held.warnings, w))
      changed.add('warnings')
  }
  for (const id of held.warnings.keys()) {
    if (!listed.has(id) && !touched.has(`warning:${id}`) && held.warnings.delete(id))
      changed.add('warnings')
  }
  return changed
}
