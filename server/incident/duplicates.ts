import type { DuplicateCandidate, DuplicateRules } from '../../shared/incident/duplicates.ts'
import type { Incident } from '../../shared/incident/schema.ts'
import type { BBox } from '../../shared/kernel/geo.ts'
import type { SubdistrictPackage } from '../../shared/setup/package.ts'
import type { Store } from '../db/store.ts'
import RBush from 'rbush'
import { duplicateRules, rankDuplicates, searchBox } from '../../shared/incident/duplicates.ts'
import { isOpen } from '../../shared/incident/lifecycle.ts'

interface Entry extends BBox { incident: Incident }

const HOUR = 3_600_000

/**
 * Possible duplicates found without a full scan: an R-tree over every open incident plus those finished lately
 * (rebuilt from the store at start, kept up to date from each commit). Merged and rejected incidents leave it;
 * finished ones leave it once they are past any rule's horizon.
 */
export function createDuplicateIndex(deps: { store: Store, now: () => Date, live?: { readonly version: number, readonly pkg: SubdistrictPackage } }) {
  const tree = new RBush<Entry>()
  const byId = new Map<string, Entry>()
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
  const horizon = () => new Date(deps.now().getTime() - (rules().hours + rules().closedHours) * HOUR)

  const keeps = (i: Incident) => i.state !== 'merged' && i.state !== 'rejected' && (isOpen(i) || (i.closedAt ?? i.updatedAt) >= horizon().toISOString())

  function put(incident: Incident): void {
    const held = byId.get(incident.id)
    if (held && held.incident.version > incident.version)
      return
    if (held) {
      tree.remove(held)
      byId.delete(incident.id)
    }
    if (!keeps(incident))
      return
    const { lon, lat } = incident.location
    const entry = { minX: lon, minY: lat, maxX: lon, maxY: lat, incident }
    tree.insert(entry)
    byId.set(incident.id, entry)
  }

  function prune(): void {
    for (const entry of [...byId.values()]) {
      if (!keeps(entry.incident)) {
        tree.remove(entry)
        byId.delete(entry.incident.id)
      }
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
    started ??= deps.store.listLive(horizon().toISOString()).then((list) => {
      tree.clear()
      byId.clear()
      const entries = list.filter(keeps).map(incident => ({ minX: incident.location.lon, minY: incident.location.lat, maxX: incident.location.lon, maxY: incident.location.lat, incident }))
      tree.load(entries)
      for (const e of entries) byId.set(e.incident.id, e)
      loaded = true
      for (const i of pending.splice(0)) put(i)
    })
    return started
  }

  /** The possible duplicates of `inc` (stored or about to be), nearest first, at most the rules' max. */
  async function candidates(inc: Incident): Promise<DuplicateCandidate[]> {
    await start()
    const r = rules()
    const near = tree.search(searchBox(inc.location, r.meters)).map(e => e.incident)
    return rankDuplicates(r, inc, near)
  }

  return { start, candidates, rules, size: () => byId.size, has: (id: string) => byId.has(id) }
}

export type DuplicateIndex = ReturnType<typeof createDuplicateIndex>
