import { onMounted, shallowRef } from 'vue'
import { HttpError } from '../../ui/http.ts'

/** A refusal as one line for the form: the server's message, and the field it names. */
export function problemOf(err: unknown): string {
  if (err instanceof HttpError) {
    const field = (err.body as { field?: string } | null)?.field
    return field ? `${err.message} (${field})` : err.message
  }
  return String((err as Error)?.message ?? err)
}

/** A list the admin console shows: loaded on mount and on demand, with its error; `total` from x-total-count. */
export function useAdminList<T>(url: () => string) {
  const rows = shallowRef<T[]>([])
  const total = shallowRef(0)
  const loading = shallowRef(false)
  const error = shallowRef<string | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      const res = await fetch(url(), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      if (!res.ok) {
        const body = await res.json().catch(() => null) as { message?: string } | null
        throw new HttpError(res.status, body?.message ?? `GET ${url()}: ${res.status}`, body)
      }
      rows.value = await res.json() as T[]
      total.value = Number(res.headers.get('x-total-count') ?? rows.value.length)
    }
    catch (err) {
      error.value = problemOf(err)
    }
    finally {
      loading.value = false
    }
  }
  onMounted(load)
  return { rows, total, loading, error, load }
}

/** An instant as a Shanghai date and time, e.g. 2026-07-12 06:30. */
export function shanghaiDateTime(iso: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso))
}
