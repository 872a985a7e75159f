import type { ActionBody, ActionKind, HistoryEntry, Incident, IncidentWithHistory } from '../../../shared/incident/schema.ts'
import { shallowRef, watch } from 'vue'
import { getJson, HttpError, sendJson } from '../../ui/http.ts'
import { opId } from '../../ui/ids.ts'

export type ActOutcome
  = | { action: ActionKind, ok: true }
    | { action: ActionKind, ok: false, message: string }
    /** Someone acted first: what the incident is now, and the step that made it so. */
    | { action: ActionKind, ok: false, stale: true, state: Incident['state'], last: HistoryEntry | null }

/** Actions that add to the record without deciding anything: two people in a joint case may send them at once. */
const ADDITIVE: readonly ActionKind[] = ['progress', 'arrive']

/**
 * POSTs one action with a fresh idempotency key and, for a decision, the version the caller saw (a note or an
 * arrival is added whatever a colleague did meanwhile; the server still checks the state allows it).
 */
export function postAction(inc: Pick<Incident, 'id' | 'version'>, body: Omit<ActionBody, 'expectedVersion'>): Promise<Incident> {
  const versioned = ADDITIVE.includes(body.action) ? body : { ...body, expectedVersion: inc.version }
  return sendJson<Incident>(`/api/incidents/${encodeURIComponent(inc.id)}/actions`, versioned, { headers: { 'idempotency-key': opId() } })
}

/**
 * The desk's selected incident with its history, loaded when it is selected. `act` sends an action with the
 * version on screen; a 409 (someone acted first) reloads it and says what changed.
 */
export function useDeskIncident(id: () => string | null, onChanged: () => void) {
  const detail = shallowRef<IncidentWithHistory | null>(null)
  const failed = shallowRef<string | null>(null)
  const pending = shallowRef<ActionKind | null>(null)
  const outcome = shallowRef<ActOutcome | null>(null)

  async function reload(): Promise<void> {
    const want = id()
    if (!want) {
      detail.value = null
      return
    }
    try {
      const fetched = await getJson<IncidentWithHistory>(`/api/incidents/${encodeURIComponent(want)}`)
      if (id() === fetched.id)
        detail.value = fetched
      failed.value = null
    }
    catch (err) {
      failed.value = (err as Error).message
    }
  }

  watch(id, (now, before) => {
    if (now !== before) {
      outcome.value = null
      detail.value = null
    }
    void reload()
  }, { immediate: true })

  /** The action in flight: the next one waits for it (a quick `a` then `s` on the keyboard is not lost). */
  let inFlight: Promise<unknown> = Promise.resolve()

  /** Sends one action with the version on screen once any earlier one has landed and the incident is reloaded. */
  function act(action: ActionKind, extra: Omit<ActionBody, 'action' | 'expectedVersion'> = {}): Promise<boolean> {
    const turn = inFlight.then(() => send(action, extra))
    inFlight = turn.catch(() => null)
    return turn
  }

  async function send(action: ActionKind, extra: Omit<ActionBody, 'action' | 'expectedVersion'>): Promise<boolean> {
    const inc = detail.value
    if (!inc)
      return false
    pending.value = action
    try {
      await postAction(inc, { action, ...extra })
      outcome.value = { action, ok: true }
      await reload()
      onChanged()
      return true
    }
    catch (err) {
      if (err instanceof HttpError && err.status === 409) {
        await reload()
        onChanged()
        const now = detail.value
        outcome.value = { action, ok: false, stale: true, state: now?.state ?? inc.state, last: now?.history.at(-1) ?? null }
      }
      else {
        outcome.value = { action, ok: false, message: err instanceof HttpError ? err.message : String(err) }
      }
      return false
    }
    finally {
      pending.value = null
    }
  }

  return { detail, failed, pending, outcome, reload, act }
}
