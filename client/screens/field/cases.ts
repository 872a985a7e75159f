import type { QueueAnswer, QueueTab, RoutedNotice } from '../../../shared/desk/schema.ts'
import type { ActionKind, Incident, IncidentState } from '../../../shared/incident/schema.ts'
import type { AppSocket } from '../../realtime/socket.ts'
import type { Refused } from './outbox.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef, triggerRef } from 'vue'
import { queueOrder } from '../../../shared/desk/queue.ts'
import { isOpen } from '../../../shared/incident/lifecycle.ts'
import { getJson, HttpError } from '../../ui/http.ts'

/** What the phone tells the worker once: an action of theirs the server refused, and the incident's state now. */
export interface CaseNotice {
  id: string
  incidentId: string
  title: string
  action: ActionKind
  /** 409: someone acted first; otherwise the action was refused (403, 400 …). */
  conflict: boolean
  state: IncidentState | null
  message: string
}

/** Where each queue tab keeps what is in a worker's hands: by name for everyone; a grid worker's grid intake and feedback too. */
export function tabsFor(roles: readonly string[]): QueueTab[] {
  return roles.includes('grid_worker') ? ['assigned', 'intake', 'feedback'] : ['assigned']
}

const CACHE_KEY = 'onescreen.field.cases.'

/** What the phone last held for this person: a reload in a dead spot still shows their work (and what it queued). */
function cached(personId: string): Incident[] {
  try {
    return JSON.parse(localStorage.getItem(CACHE_KEY + personId) ?? '[]') as Incident[]
  }
  catch {
    return []
  }
}

/** The incidents in the worker's hands (peacetime work): loaded from the desk's queue, pushed live when routed to them. */
export const useFieldCasesStore = defineStore('fieldCases', () => {
  const byId = shallowRef(new Map<string, Incident>())
  const notices = shallowRef<CaseNotice[]>([])
  /** Bumped for each incident that lands in the worker's hands while the page is open: the phone rings. */
  const rings = shallowRef(0)
  /** False until the first load answered (the queue may be missing on an older server: then nothing is shown). */
  const loaded = shallowRef(false)
  /** Incidents this phone acted on or was told about: kept when a reload no longer lists them (resolved, returned). */
  const touched = new Set<string>()
  let personId: string | null = null
  // The desk's order: open first, the nearest stage deadline on top.
  const list = computed(() => [...byId.value.values()].sort(queueOrder))

  /** Keeps the newer version; answers whether it changed what the phone holds. */
  function upsert(incident: Incident): boolean {
    const held = byId.value.get(incident.id)
    if (held && held.version >= incident.version)
      return false
    byId.value.set(incident.id, incident)
    triggerRef(byId)
    return true
  }

  async function load(roles: readonly string[]): Promise<void> {
    const answers = await Promise.all(tabsFor(roles).map(tab => getJson<QueueAnswer>(`/api/desk/queue?tab=${tab}&pageSize=100`)))
    const next = new Map<string, Incident>()
    for (const id of touched) {
      const held = byId.value.get(id)
      if (held)
        next.set(id, held)
    }
    for (const inc of answers.flatMap(a => a.items)) {
      const held = next.get(inc.id)
      if (!held || held.version < inc.version)
        next.set(inc.id, inc)
    }
    byId.value = next
    loaded.value = true
    save()
  }

  function save(): void {
    if (personId)
      localStorage.setItem(CACHE_KEY + personId, JSON.stringify([...byId.value.values()].slice(0, 200)))
  }

  function routed(notice: RoutedNotice): void {
    touched.add(notice.incident.id)
    if (upsert(notice.incident) && isOpen(notice.incident))
      rings.value++
    save()
  }

  function acted(incident: Incident): void {
    touched.add(incident.id)
    if (upsert(incident))
      save()
  }

  /** A refused action: fetch the incident as it is now, and say what happened. */
  async function refused(r: Refused): Promise<void> {
    const held = byId.value.get(r.op.incidentId)
    const now = await getJson<Incident>(`/api/incidents/${encodeURIComponent(r.op.incidentId)}`).catch(() => null)
    if (now)
      acted(now)
    const bodyState = (r.body as { state?: IncidentState } | null)?.state ?? null
    notices.value = [...notices.value, {
      id: r.op.opId,
      incidentId: r.op.incidentId,
      title: now?.title ?? held?.title ?? r.op.incidentId,
      action: r.op.body.action,
      conflict: r.status === 409,
      state: now?.state ?? bodyState,
      message: r.message,
    }].slice(-5)
  }

  function dismiss(id: string): void {
    notices.value = notices.value.filter(n => n.id !== id)
  }

  /** Listens for routed incidents and reloads on every (re)connect; until then shows what was held for `who`. */
  function bind(socket: AppSocket, who: string, roles: () => readonly string[]): void {
    personId = who
    for (const inc of cached(who)) upsert(inc)
    const reload = () => void load(roles()).catch((err) => {
      // A server without the desk's queue (404) has no peacetime work to show; anything else is worth a line.
      if (!(err instanceof HttpError && err.status === 404))
        console.warn('[cases] load failed', err)
    })
    socket.on('incident:routed', routed)
    socket.on('connect', reload)
    if (socket.connected)
      reload()
  }

  return { byId, list, notices, rings, loaded, upsert, load, routed, acted, refused, dismiss, bind }
})
