import type { QueueAnswer, QueueQuery, QueueTab, RoutedNotice } from '../../../shared/desk/schema.ts'
import type { Incident } from '../../../shared/incident/schema.ts'
import type { Change } from '../../../shared/sync/schema.ts'
import type { AppSocket } from '../../realtime/socket.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { getJson } from '../../ui/http.ts'

export type QueueFilters = Omit<QueueQuery, 'tab' | 'page' | 'pageSize'>
export const PAGE_SIZE = 20
/** Live batches arrive in bursts: refresh the page once they settle. */
const REFRESH_MS = 300
const NOTICES = 5

/** The query string for one page of the queue; empty filters are left out. */
export function queueUrl(tab: QueueTab, filters: QueueFilters, page: number, pageSize = PAGE_SIZE): string {
  const params = new URLSearchParams({ tab, page: String(page), pageSize: String(pageSize) })
  for (const [k, v] of Object.entries(filters)) {
    if (v !== undefined && v !== null && v !== '')
      params.set(k, String(v))
  }
  return `/api/desk/queue?${params}`
}

/** The desk's queue: one page from the server (it sorts, filters and counts), refreshed when incidents change. */
export const useDeskQueueStore = defineStore('desk-queue', () => {
  const tab = shallowRef<QueueTab>('intake')
  const filters = shallowRef<QueueFilters>({})
  const page = shallowRef(1)
  const answer = shallowRef<QueueAnswer | null>(null)
  const loading = shallowRef(false)
  const error = shallowRef<string | null>(null)
  /** Incidents routed to me since the desk opened, newest first (the badge and the toast). */
  const notices = shallowRef<RoutedNotice[]>([])
  const unseen = shallowRef(0)
  const noticeListeners = new Set<(n: RoutedNotice) => void>()
  let asked = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const pages = computed(() => answer.value ? Math.max(1, Math.ceil(answer.value.total / answer.value.pageSize)) : 1)

  async function load(): Promise<void> {
    const ticket = ++asked
    loading.value = true
    try {
      const next = await getJson<QueueAnswer>(queueUrl(tab.value, filters.value, page.value))
      if (ticket === asked) {
        answer.value = next
        error.value = null
      }
    }
    catch (err) {
      if (ticket === asked)
        error.value = (err as Error).message
    }
    finally {
      if (ticket === asked)
        loading.value = false
    }
  }

  function refreshSoon(): void {
    clearTimeout(timer)
    timer = setTimeout(() => void load(), REFRESH_MS)
  }

  function show(next: { tab?: QueueTab, filters?: QueueFilters, page?: number }): Promise<void> {
    if (next.tab !== undefined)
      tab.value = next.tab
    if (next.filters !== undefined)
      filters.value = next.filters
    page.value = next.page ?? (next.tab !== undefined || next.filters !== undefined ? 1 : page.value)
    return load()
  }

  /**
   * Changes from the live log: a change to an incident on this page, or to one within this desk's reach (`concerns`),
   * may move items between tabs, so refresh the page and counts. The rest of the subdistrict's traffic costs nothing.
   */
  function applied(changes: readonly Change[], concerns: (inc: Incident) => boolean): void {
    const shown = new Set(answer.value?.items.map(i => i.id))
    if (changes.some(c => c.kind === 'incident' && (shown.has(c.id) || concerns(c.data))))
      refreshSoon()
  }

  function routed(notice: RoutedNotice): void {
    notices.value = [notice, ...notices.value.filter(n => n.incident.id !== notice.incident.id)].slice(0, NOTICES)
    unseen.value++
    for (const l of noticeListeners) l(notice)
    refreshSoon()
  }

  function seen(): void {
    unseen.value = 0
  }

  function onRouted(listener: (n: RoutedNotice) => void): () => void {
    noticeListeners.add(listener)
    return () => noticeListeners.delete(listener)
  }

  /** Listens for what is routed to me; returns the unbinding. */
  function bind(socket: AppSocket): () => void {
    socket.on('incident:routed', routed)
    return () => socket.off('incident:routed', routed)
  }

  return { tab, filters, page, pages, answer, loading, error, notices, unseen, load, refreshSoon, show, applied, routed, seen, onRouted, bind }
})
