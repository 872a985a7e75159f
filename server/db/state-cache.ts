import type { Incident } from '../../shared/incident/schema.ts'

/**
 * Incident states recently committed or read, by id (LRU). A store answers getIncidentState from here only when the
 * stored version (a `SELECT version`, no row text to copy and parse) is the cached one, so the cache is never stale,
 * whoever else writes; an entry is the committed state of that version (added after COMMIT). The objects are shared
 * with the change log and callers: they are never mutated (the domain returns copies).
 */
export function createStateCache(max = 4096) {
  const states = new Map<string, Incident>()
  return {
    remember(inc: Incident): void {
      states.delete(inc.id)
      states.set(inc.id, inc)
      if (states.size > max)
        states.delete(states.keys().next().value!)
    },
    /** The cached state of `id` if it is the stored `version`. */
    at(id: string, version: number): Incident | null {
      const cached = states.get(id)
      return cached?.version === version ? cached : null
    },
  }
}
