import type { Rankings } from '../../shared/scoring/schema.ts'
import { computed, onScopeDispose, shallowRef } from 'vue'
import { socket } from '../realtime/socket.ts'
import { getJson } from '../ui/http.ts'

export interface UseRankingsOptions {
  /** Reload period, ms. Default 10 minutes: scores move slowly. */
  everyMs?: number
  /** How long a month frozen while this screen watched stays on it before the running month returns, ms. Default 24 h. */
  spotlightMs?: number
}

/** The top three, or none when everyone ties (no recorded activity yet): a podium of ties says nothing. */
export function podium(r: Rankings | null): Rankings['gridWorkers'] {
  const top = (r?.gridWorkers ?? []).slice(0, 3)
  return new Set(top.map(w => w.total)).size > 1 ? top : []
}

/**
 * The horse race for the wall: the running month so far, or the month just frozen (定榜). A freeze reaches every
 * wall at once (`scores:frozen`) and stays in the spotlight for a day; a reconnect reloads, in case one was missed.
 * Without a spotlight the running month shows, unless it has no podium yet (early in a month): then last month's final.
 */
export function useRankings(opts: UseRankingsOptions = {}) {
  const everyMs = opts.everyMs ?? 10 * 60_000
  const spotlightMs = opts.spotlightMs ?? 24 * 3_600_000
  const running = shallowRef<Rankings | null>(null)
  const final = shallowRef<Rankings | null>(null)
  let spotlight: { month: string, until: number } | null = null
  const spotlit = shallowRef(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let disposed = false

  async function load(): Promise<void> {
    clearTimeout(timer)
    try {
      const current = await getJson<Rankings>('/api/scores/rankings')
      const previous = await getJson<Rankings>(`/api/scores/rankings?month=${current.previousMonth}`).catch(() => null)
      running.value = current
      final.value = previous?.frozen ? previous : null
      // Only last month's freeze takes the board: a server catching up on older months does not.
      spotlit.value = !!spotlight && spotlight.month === current.previousMonth && Date.now() < spotlight.until
    }
    catch (err) {
      console.warn('[ranking] not available', err)
    }
    finally {
      if (!disposed)
        timer = setTimeout(() => void load(), everyMs)
    }
  }

  function onFrozen(e: { month: string }): void {
    spotlight = { month: e.month, until: Date.now() + spotlightMs }
    void load()
  }
  const onConnect = () => void load()
  socket.on('scores:frozen', onFrozen)
  socket.on('connect', onConnect)
  void load()
  onScopeDispose(() => {
    disposed = true
    clearTimeout(timer)
    socket.off('scores:frozen', onFrozen)
    socket.off('connect', onConnect)
  })

  /** What the board shows: the rankings, their podium, and whether they are final. */
  const shown = computed(() => {
    const finalTop = podium(final.value)
    if (final.value && finalTop.length && (spotlit.value || !podium(running.value).length))
      return { rankings: final.value, top: finalTop, final: true }
    return { rankings: running.value, top: podium(running.value), final: false }
  })
  return { shown, reload: load }
}
