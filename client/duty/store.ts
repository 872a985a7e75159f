import type { DutyDay, DutyEdit, DutyRoster } from '../../shared/duty/schema.ts'
import type { Change } from '../../shared/sync/schema.ts'
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { daysFrom } from '../../shared/duty/roster.ts'
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

  /** The range's days from the server (a day cleared elsewhere comes back as its new version). */
  async function load(from: string, n = 7): Promise<void> {
    const r = await getJson<DutyRoster>(`/api/duty?from=${from}&days=${n}`)
    candidates.value = r.candidates
    const wanted = new Set(daysFrom(from, n))
    const next = new Map([...days.value].filter(([id]) => !wanted.has(id)))
    for (const d of r.days) next.set(d.id, d)
    days.value = next
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
