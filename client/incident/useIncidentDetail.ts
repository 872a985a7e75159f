import type { ActionBody, Incident, IncidentWithHistory } from '../../shared/incident/schema.ts'
import { shallowRef, watch } from 'vue'
import { getJson, HttpError, sendJson } from '../ui/http.ts'
import { opId } from '../ui/ids.ts'

/** Actions the wall's drawer offers, in the order the closed loop uses them. */
export const WALL_ACTIONS = ['accept', 'assign', 'transfer', 'escalate'] as const
export type WallAction = typeof WALL_ACTIONS[number]

/**
 * The selected incident's history, fetched when it is opened and again whenever its version moves on (the live
 * store says when). `act` performs an action with the version the operator saw, so a stale click is a 409.
 */
export function useIncidentDetail(incident: () => Incident | null) {
  const detail = shallowRef<IncidentWithHistory | null>(null)
  const failed = shallowRef(false)
  const pending = shallowRef<WallAction | null>(null)
  const result = shallowRef<{ action: WallAction, ok: boolean, message?: string } | null>(null)

  watch(() => incident() && `${incident()!.id}@${incident()!.version}`, async (key, before) => {
    const i = incident()
    if (!i) {
      detail.value = null
      return
    }
    if (before?.split('@')[0] !== i.id) {
      detail.value = null
      result.value = null
    }
    try {
      const fetched = await getJson<IncidentWithHistory>(`/api/incidents/${encodeURIComponent(i.id)}`)
      if (incident()?.id === fetched.id)
        detail.value = fetched
      failed.value = false
    }
    catch (err) {
      console.warn('[drawer] history not available', err)
      failed.value = true
    }
  }, { immediate: true })

  async function act(action: WallAction, extra: Omit<ActionBody, 'action'> = {}): Promise<void> {
    const i = incident()
    if (!i || pending.value)
      return
    pending.value = action
    try {
      await sendJson<Incident>(`/api/incidents/${encodeURIComponent(i.id)}/actions`, { action, expectedVersion: i.version, ...extra }, { headers: { 'idempotency-key': opId() } })
      result.value = { action, ok: true }
    }
    catch (err) {
      result.value = { action, ok: false, message: err instanceof HttpError ? err.message : String(err) }
    }
    finally {
      pending.value = null
    }
  }

  return { detail, failed, pending, result, act }
}
