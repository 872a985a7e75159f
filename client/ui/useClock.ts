import { onScopeDispose, shallowRef } from 'vue'

export interface UseClockOptions {
  /** How often `now` refreshes, in ms. Default 1000. */
  interval?: number
}

/** The current time as a ref, refreshed on an interval; stopped when the calling scope ends. */
export function useClock(options: UseClockOptions = {}) {
  const now = shallowRef(Date.now())
  const timer = setInterval(() => {
    now.value = Date.now()
  }, options.interval ?? 1000)
  onScopeDispose(() => clearInterval(timer))
  return now
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})
const dateFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
})

/** Wall time in Chongqing, whatever the display machine's time zone. */
export function formatShanghaiTime(at: number): string {
  return timeFormat.format(at)
}

export function formatShanghaiDate(at: number, locale: string): string {
  return locale === 'zh-CN'
    // zh-CN runs the weekday into the date ("2026/11/27周五"); a space reads better from afar.
    ? dateFormat.formatToParts(at).map(p => p.type === 'weekday' ? ` ${p.value}` : p.value).join('')
    : new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' }).format(at)
}
