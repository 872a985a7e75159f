import { sendJson } from '../../ui/http.ts'
import { useAdminList } from './useAdminList.ts'
import { useSubmit } from './useSubmit.ts'

interface Listed { id: string, name: string, createdBy: string, createdAt: string, revokedAt: string | null }

/** Wall devices or API keys: the list, making one (its token answered once), revoking one. */
export function useCredentials<T extends Listed>(base: '/api/devices' | '/api/api-keys') {
  const list = useAdminList<T>(() => base)
  const { busy, run } = useSubmit(list.error)
  const act = <R>(action: () => Promise<R>) => run(async () => {
    const out = await action()
    await list.load()
    return out
  })
  return {
    ...list,
    busy,
    create: (body: Record<string, unknown>) => act(() => sendJson<{ id: string, name: string, token: string }>(base, body)),
    revoke: (id: string) => act(() => sendJson(`${base}/${id}`, undefined, { method: 'DELETE' })),
  }
}
