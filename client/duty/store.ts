import type { DutyDay, DutyEdit, DutyRoster } from '../../shared/duty/schema.ts'
import type { Change } from '../../shared/sync/schema.ts'
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { getJson, sendJson } from '../ui/http.ts'

/** The duty roster by day (YYYY-MM-DD, Asia/Shanghai): loaded by range, kept live from the change log. */
export const useDutyStore = defineStore('duty', () => {
  const days = shallowRef(new Map<string, DutyDay>())
  const candidates = shallowRef<DutyRoster['candidates']>({ leaders: [], operators: [] })

  function hold(list: readonly DutyDay[]): void {
    const next = new Map(days.value)
    let changed = false
    for (const d of list) {
      if ((next.get(d.id)?.version ?? 0) < d.version) {
        next.set(d.id, d)
        changed = true
      }
    }
    if (changed)
      days.value = next
  }

  /**
   * The range's days from the server, merged by version: a day changed live while the answer was on its way (read
   * before the change, arriving after it) keeps the newer version; it used to be overwritten, and a wall showed the
   * old duty until the next change. A day is never deleted (cleared, it comes back as its new version).
   */
  async function load(from: string, n = 7): Promise<void> {
    const r = await getJson<DutyRoster>(`/api/duty?from=${from}&days=${n}`)
    candidates.value = r.candidates
    hold(r.days)
  }

  function apply(changes: readonly Change[]): void {
    hold(changes.flatMap(c => (c.kind === 'duty' ? [c.data] : [])))
  }

  async function save(date: string, edit: DutyEdit): Promise<DutyDay> {
    const d = await sendJson<DutyDay>(`/api/duty/${date}`, edit, { method: 'PUT' })
    hold([d])
    return d
  }

  return { days, candidates, load, apply, save }
})
