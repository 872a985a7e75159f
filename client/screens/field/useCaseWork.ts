import type { PendingAction } from './case-actions.ts'
import { computed } from 'vue'
import { useSessionStore } from '../../auth/store.ts'
import { phoneActions } from './case-actions.ts'
import { useFieldCasesStore } from './cases.ts'
import { useOutboxStore } from './outbox-store.ts'

const NONE: PendingAction[] = []

/**
 * The phone's peacetime work: each incident's own queued actions (from the outbox, so they survive a reload),
 * and how many incidents wait for a step this person may take now (the tab's badge).
 */
export function useCaseWork() {
  const session = useSessionStore()
  const cases = useFieldCasesStore()
  const outbox = useOutboxStore()
  const pending = computed(() => {
    const by = new Map<string, PendingAction[]>()
    for (const op of outbox.ops) {
      if (op.kind === 'incident-action' && op.state === 'pending')
        by.set(op.incidentId, [...by.get(op.incidentId) ?? [], { opId: op.opId, body: op.body }])
    }
    return by
  })
  const pendingFor = (id: string) => pending.value.get(id) ?? NONE
  const actionable = computed(() => cases.list.filter(i => phoneActions(i, pendingFor(i.id), a => session.mayAct(a, i.owner)).length > 0).length)
  return { pendingFor, actionable }
}
