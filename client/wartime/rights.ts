import { computed } from 'vue'
import { useSessionStore } from '../auth/store.ts'

/**
 * What the signed-in person may do to the operation. A read-only session (the wall display, a leader) sees no
 * control that mutates; the server refuses anyway, this only keeps the screen honest.
 */
export function useWartimeRights() {
  const session = useSessionStore()
  const roles = computed(() => session.me && !session.me.readOnly ? session.me.principal.roles : [])
  const isCommander = computed(() => roles.value.includes('commander'))
  const isOperator = computed(() => roles.value.includes('operator'))
  return {
    canDeclare: isCommander,
    canEnd: isCommander,
    canActivate: computed(() => isCommander.value || isOperator.value),
    canDrill: computed(() => (isCommander.value || isOperator.value) && session.me?.demo === true),
  }
}
