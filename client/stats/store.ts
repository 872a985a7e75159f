import type { StatsResponse } from '../../shared/stats/schema.ts'
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { getJson } from '../ui/http.ts'

/** Refresh period of the server's statistics; the server caches them for a few seconds anyway. */
const EVERY_MS = 15_000
/** After live changes, refresh this soon (once), so the period figures follow the feed. */
const AFTER_CHANGE_MS = 3_000

/** The statistics panels' figures from GET /api/stats; live counters come from the incidents store instead. */
export const useStatsStore = defineStore('stats', () => {
  const stats = shallowRef<StatsResponse | null>(null)
  const failedAt = shallowRef<number | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let dueAt = Infinity
  let inFlight = false
  /** Screens that show no statistics (the phone views) never poll. */
  let running = false

  async function refresh(): Promise<void> {
    if (inFlight)
      return
    inFlight = true
    try {
      stats.value = await getJson<StatsResponse>('/api/stats')
      failedAt.value = null
    }
    catch (err) {
      failedAt.value = Date.now()
      console.warn('[stats] refresh failed; keeping the last figures', err)
    }
    finally {
      inFlight = false
      if (running)
        schedule(EVERY_MS)
    }
  }

  /** Starts polling (the wall page); refreshes at once. */
  function start(): void {
    running = true
    void refresh()
  }

  function stop(): void {
    running = false
    clearTimeout(timer)
    dueAt = Infinity
  }

  function schedule(ms: number): void {
    clearTimeout(timer)
    dueAt = Date.now() + ms
    timer = setTimeout(() => void refresh(), ms)
  }

  /** Live changes arrived: refresh soon, unless a refresh is already due sooner (a steady stream must not starve it). */
  function nudge(): void {
    if (running && dueAt - Date.now() > AFTER_CHANGE_MS)
      schedule(AFTER_CHANGE_MS)
  }

  return { stats, failedAt, refresh, start, stop, nudge }
})
