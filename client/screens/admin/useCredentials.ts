import { shallowRef } from 'vue'
import { sendJson } from '../../ui/http.ts'
import { problemOf, useAdminList } from './useAdminList.ts'

interface Listed { id: string, name: string, createdBy: string, createdAt: string, revokedAt: string | null }

/** Wall devices or API keys: the list, making one (its token answered once), revoking one. */
export function useCredentials<T extends Listed>(base: '/api/devices' | '/api/api-keys') {
  const list = useAdminList<T>(() => base)
  const busy = shallowRef(false)

  async function act<R>(run: () => Promise<R>): Promise<R | null> {
    busy.value = true
    list.error.value = null
    try {
      const out = await run()
      await list.load()
      return out
    }
    catch (err) {
      list.error.value = problemOf(err)
      return null
    }
    finally {
      busy.value = false
    }
  }
  return {
    ...list,
    busy,
    create: (body: Record<string, unknown>) => act(() => sendJson<{ id: string, name: string, token: string }>(base, body)),
    revoke: (id: string) => act(() => sendJson(`${base}/${id}`, undefined, { method: 'DELETE' })),
  }
}
