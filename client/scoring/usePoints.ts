import type { MaybeRefOrGetter } from 'vue'
import type { LedgerEntry, LedgerKind, PointsHistory } from '../../shared/scoring/schema.ts'
import { shallowRef, toValue, watch } from 'vue'
import { localIso } from '../../shared/kernel/time.ts'
import { getJson, HttpError, sendJson } from '../ui/http.ts'

/** How many ledger entries the screens list, newest first. */
export const RECENT = 8

/** A pioneer-index account from `path` (`/api/points/me` or `/api/points/<personId>`), reloaded when it changes. */
export function usePointsAccount(path: MaybeRefOrGetter<string | null>) {
  const account = shallowRef<PointsHistory | null>(null)
  /** The server's refusal: `status` 404 means "not a volunteer". */
  const error = shallowRef<{ status: number, message: string } | null>(null)
  const loading = shallowRef(false)

  async function load(): Promise<void> {
    const p = toValue(path)
    if (!p) {
      account.value = null
      return
    }
    loading.value = true
    try {
      const next = await getJson<PointsHistory>(p)
      if (toValue(path) === p) {
        account.value = next
        error.value = null
      }
    }
    catch (err) {
      account.value = null
      error.value = { status: err instanceof HttpError ? err.status : 0, message: err instanceof Error ? err.message : String(err) }
    }
    finally {
      loading.value = false
    }
  }
  watch(() => toValue(path), () => void load(), { immediate: true })
  return { account, error, loading, load }
}

/** Newest first, bounded. */
export const recentEntries = (a: PointsHistory | null): LedgerEntry[] => (a?.entries ?? []).slice(-RECENT).reverse()

/** A ledger time as Chongqing reads it: 11-20 10:05. */
export const entryTime = (iso: string): string => localIso(iso).slice(5, 16).replace('T', ' ')

/** Records service (earn) or a redemption; the same `opId` again is answered with the first entry. */
export function postPoints(kind: LedgerKind, body: { opId: string, personId: string, points: number, reason: string }): Promise<LedgerEntry> {
  return sendJson<LedgerEntry>(kind === 'earn' ? '/api/points/award' : '/api/points/redeem', body)
}
