import type { Incident } from '../../shared/incident/schema.ts'
import { isOpen } from '../../shared/incident/lifecycle.ts'

const MINUTE = 60_000

/**
 * Which of the incidents it holds are overdue (open and past their stage deadline: escalation's `isOverdue`) as
 * the clock moves on, without looking at every incident again: deadlines still ahead wait in per-minute buckets
 * and `advance(now)` moves over only those that crossed. Incidents are held by identity (each version is a new
 * object), so `remove` takes the very object `add` was given. Time never runs back: an earlier `now` (a clock
 * stepped back) is read as the latest one seen.
 */
export class OverdueClock {
  private now = Number.NEGATIVE_INFINITY
  private readonly overdue = new Set<Incident>()
  /** Minute of the deadline → the incidents due in it and their deadline. */
  private readonly waiting = new Map<number, Map<Incident, number>>()

  /** How many held incidents are overdue at the last `advance`. */
  get size(): number {
    return this.overdue.size
  }

  has(incident: Incident): boolean {
    return this.overdue.has(incident)
  }

  /** Holds `incident` if it can ever be overdue; answers whether it is already. */
  add(incident: Incident): boolean {
    if (!isOpen(incident) || incident.stageDeadline === null)
      return false
    const due = Date.parse(incident.stageDeadline)
    if (this.now > due) {
      this.overdue.add(incident)
      return true
    }
    const minute = Math.floor(due / MINUTE)
    const bucket = this.waiting.get(minute)
    if (bucket)
      bucket.set(incident, due)
    else
      this.waiting.set(minute, new Map([[incident, due]]))
    return false
  }

  /** Lets go of `incident`; answers whether it was counted overdue. */
  remove(incident: Incident): boolean {
    if (this.overdue.delete(incident))
      return true
    if (incident.stageDeadline === null)
      return false
    const minute = Math.floor(Date.parse(incident.stageDeadline) / MINUTE)
    const bucket = this.waiting.get(minute)
    if (bucket?.delete(incident) && bucket.size === 0)
      this.waiting.delete(minute)
    return false
  }

  /** Moves the clock to `now`; answers the incidents that became overdue on the way. */
  advance(now: number): Incident[] {
    if (now <= this.now)
      return []
    const from = Math.floor(Math.max(this.now, -8.64e15) / MINUTE)
    const to = Math.floor(now / MINUTE)
    this.now = now
    // A long jump (the first advance, a sleeping tab) walks the buckets held, not every minute in between.
    const minutes = to - from + 1 > this.waiting.size ? [...this.waiting.keys()].filter(m => m <= to) : Array.from({ length: to - from + 1 }, (_, k) => from + k)
    const crossed: Incident[] = []
    for (const minute of minutes) {
      const bucket = this.waiting.get(minute)
      if (!bucket)
        continue
      for (const [incident, due] of bucket) {
        if (now > due) {
          bucket.delete(incident)
          this.overdue.add(incident)
          crossed.push(incident)
        }
      }
      if (bucket.size === 0)
        this.waiting.delete(minute)
    }
    return crossed
  }

  clear(): void {
    this.overdue.clear()
    this.waiting.clear()
  }
}
