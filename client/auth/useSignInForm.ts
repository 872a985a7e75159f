import { shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { HttpError } from '../ui/http.ts'
import { useSessionStore } from './store.ts'

/** The state and submit of a sign-in form (the wall's dialog, the desk's page): one wording for every refusal. */
export function useSignInForm(onSignedIn: () => void) {
  const session = useSessionStore()
  const { t } = useI18n()
  const username = shallowRef('')
  const password = shallowRef('')
  const error = shallowRef<string | null>(null)
  const busy = shallowRef(false)

  async function submit(): Promise<void> {
    busy.value = true
    error.value = null
    try {
      if (await session.login(username.value.trim(), password.value))
        onSignedIn()
      else
        error.value = t('auth.wrong')
    }
    catch (err) {
      error.value = err instanceof HttpError && err.status === 429 ? t('auth.tooMany') : t('auth.failed', { message: String((err as Error).message) })
    }
    finally {
      busy.value = false
      password.value = ''
    }
  }

  return { username, password, error, busy, submit }
}
