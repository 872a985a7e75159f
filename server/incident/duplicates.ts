import type { DuplicateCandidate, DuplicateRules } from '../../shared/incident/duplicates.ts'
import type { Incident } from '../../shared/incident/schema.ts'
import type { SubdistrictPackage } from '../../shared/setup/package.ts'
import type { Store } from '../db/store.ts'
import { duplicateRules, eligible, rankDuplicates, relatedCodes } from '../../shared/incident/duplicates.ts'
import { isOpen } from '../../shared/incident/lifecycle.ts'
import { nearestSpots, Spots } from './spots.ts'

const HOUR = 3_600_000

/**
 * Possible duplicates found without a full scan: every open incident plus those finished lately, held by place
 * (an R-tree of distinct locations) and, at each place, by category, newest first (rebuilt from the store at start,
 * kept up to date from each commit). Merged and rejected incidents leave it; finished ones leave it once they are
 * past any rule's horizon. A search walks places nearest first and stops once the nearest `max` are known, so its
 * cost follows what it answers, not how many incidents are held.
 */
export function createDuplicateIndex(deps: { store: Store, now: () => Date, live?: { readonly version: number, readonly pkg: SubdistrictPackage } }) {
  const spots = new Spots()
  let rulesOf: { version: number, rules: DuplicateRules } | null = null
  let started: Promise<void> | null = null
  let loaded = false
  let sincePrune = 0

  /** The rules of the package in force, derived again only when a new version is applied. */
  function rules(): DuplicateRules {
    const version = deps.live?.version ?? 0
    if (!rulesOf || rulesOf.version !== version)
      rulesOf = { version, rules: duplicateRules(deps.live?.pkg.duplicates, deps.live?.pkg.categories) }
    return rulesOf.rules
  }

  /** How long a finished incident stays: long enough for any report it could still be a candidate of. */
  const horizon = () => new Date(deps.now().getTime() - (rules().hours + rules().closedHours) * HOUR).toISOString()

  const keeps = (i: Incident, since: string) => i.state !== 'merged' && i.state !== 'rejected' && (isOpen(i) || (i.closedAt ?? i.updatedAt) >= since)

  function put(incident: Incident): void {
    const held = spots.get(incident.id)
    if (held && held.version > incident.version)
      return
    if (keeps(incident, horizon()))
      spots.put(incident)
    else if (held)
      spots.remove(incident.id)
  }

  function prune(): void {
    const since = horizon()
    for (const incident of spots.all()) {
      if (!keeps(incident, since))
        spots.remove(incident.id)
    }
  }

  // Listening from the start: a commit landing while the store is read is applied after it, never lost.
  const pending: Incident[] = []
  deps.store.onCommit((changes) => {
    for (const c of changes) {
      if (c.kind !== 'incident')
        continue
      if (loaded)
        put(c.data)
      else
        pending.push(c.data)
    }
    if (++sincePrune >= 500) {
      sincePrune = 0
      prune()
    }
  })

  /** Reads the open and lately finished incidents from the store (once; later calls wait for the same read). */
  function start(): Promise<void> {
    started ??= deps.store.listLive(horizon()).then((list) => {
      const since = horizon()
      spots.clear()
      spots.load(list.filter(i => keeps(i, since)))
      loaded = true
      for (const i of pending.splice(0)) put(i)
    })
    return started
  }

  /** The possible duplicates of `inc` (stored or about to be), nearest first, at most the rules' max. */
  async function candidates(inc: Incident): Promise<DuplicateCandidate[]> {
    await start()
    return rankDuplicates(rules(), inc, nearby(rules(), inc))
  }

  /**
   * Every incident that can be among the nearest `max` candidates of `inc`: places nearest first; at each, up to
   * `max` candidates per related category, newest first within the time window (the ranking's own tie-break, so more
   * from one place can never rank). Stops at the first place farther (in rounded metres) than the `max`-th found.
   */
  function nearby(r: DuplicateRules, inc: Incident): Incident[] {
    const at = Date.parse(inc.reportedAt)
    const codes = relatedCodes(r, inc.category)
    const found: { meters: number, incident: Incident }[] = []
    if (r.max <= 0)
      return []
    let limit = Number.POSITIVE_INFINITY
    nearestSpots(spots, inc.location, r.meters, (spot, meters) => {
      const rounded = Math.round(meters)
      if (rounded > limit)
        return false
      for (const code of codes) {
        for (const other of spot.window(code, at - r.hours * HOUR, at + r.hours * HOUR, r.max, o => isCandidate(r, inc, o)))
          found.push({ meters: rounded, incident: other })
      }
      if (found.length >= r.max)
        limit = found.map(f => f.meters).sort((a, b) => a - b)[r.max - 1]!
      return true
    })
    return found.map(f => f.incident)
  }

  return { start, candidates, rules, size: () => spots.size, has: (id: string) => spots.get(id) !== undefined }
}

/** The rules' checks other than distance and category (`candidateOf` makes them too), for skipping at a place. */
function isCandidate(r: DuplicateRules, inc: Incident, other: Incident): boolean {
  return other.id !== inc.id && eligible(r, other, Date.parse(inc.reportedAt))
}

export type DuplicateIndex = ReturnType<typeof createDuplicateIndex>
