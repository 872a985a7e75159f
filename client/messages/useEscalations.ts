import { computed, watch } from 'vue'
import { pinia } from '../modules/pinia.ts'
import { bootInbox } from './boot.ts'
import { useInboxStore } from './inbox.ts'

/**
 * Wartime tasks escalated to me (`task:escalated`: a responder in a grid I supervise has not acknowledged), for
 * the desk and the phone. `onNew` runs once per escalation that arrives while mounted (a sound, a badge).
 */
export function useEscalations(opts: { onNew?: () => void } = {}) {
  bootInbox()
  const inbox = useInboxStore(pinia)
  if (opts.onNew) {
    const onNew = opts.onNew
    watch(() => inbox.escalations.length, (n, before) => {
      if (n > before)
        onNew()
    })
  }
  return {
    escalations: computed(() => inbox.escalations),
    dismiss: (id: string) => inbox.dismiss(id),
  }
}
