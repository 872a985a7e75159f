import type { ShallowRef } from 'vue'
import { shallowRef } from 'vue'
import { problemOf } from './useAdminList.ts'

/**
 * One action of a console form: `busy` while it runs, the server's refusal as one line in `error` (pass a list's
 * error ref to show it there). `run` answers the action's value, or null when it was refused.
 */
export function useSubmit(error: ShallowRef<string | null> = shallowRef(null)) {
  const busy = shallowRef(false)
  async function run<R>(action: () => Promise<R>): Promise<R | null> {
    busy.value = true
    error.value = null
    try {
      return await action()
    }
    catch (err) {
      error.value = problemOf(err)
      return null
    }
    finally {
      busy.value = false
    }
  }
  return { busy, error, run }
}
