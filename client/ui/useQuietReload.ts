import { onScopeDispose } from 'vue'
import { formatShanghaiTime } from './useClock.ts'

const KEY = 'onescreen.reloadAt'
const DONE_KEY = 'onescreen.reloadedAt'
/** Never twice within this long, whatever the clock does. */
const MIN_GAP_MS = 20 * 3600_000

/** The configured quiet-hours reload time, HH:MM Chongqing time: `?reloadAt=03:30` (remembered) or none. */
export function quietReloadTime(search = location.search): string | null {
  const asked = new URLSearchParams(search).get('reloadAt')
  if (asked !== null) {
    if (/^\d{2}:\d{2}$/.test(asked))
      localStorage.setItem(KEY, asked)
    else
      localStorage.removeItem(KEY)
  }
  const held = localStorage.getItem(KEY)
  return held && /^\d{2}:\d{2}$/.test(held) ? held : null
}

/** Whether a reload is due at `now`: the configured minute has come and the last reload was long enough ago. */
export function reloadDue(now: number, at: string | null, lastReload: number | null): boolean {
  return at !== null && formatShanghaiTime(now).slice(0, 5) === at && (lastReload === null || now - lastReload >= MIN_GAP_MS)
}

/**
 * Optional daily reload in quiet hours, for walls that run for months: it drops whatever a long-lived page may
 * have accumulated. The view comes back as it was: map position (sessionStorage), layers, language and mute
 * (localStorage). Skipped while someone is using the wall (`busy`).
 */
export function useQuietReload(busy: () => boolean): void {
  const at = quietReloadTime()
  if (!at)
    return
  const timer = setInterval(() => {
    const last = Number(sessionStorage.getItem(DONE_KEY)) || null
    if (!busy() && reloadDue(Date.now(), at, last)) {
      sessionStorage.setItem(DONE_KEY, String(Date.now()))
      location.reload()
    }
  }, 20_000)
  onScopeDispose(() => clearInterval(timer))
}
