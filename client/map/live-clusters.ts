import type { DuplicateRules } from '../../shared/incident/duplicates.ts'
import type { Incident } from '../../shared/incident/schema.ts'
import type { BBox } from '../../shared/kernel/geo.ts'
import type { IncidentTracker } from '../incident/store.ts'
import RBush from 'rbush'
import { areRelated, candidateOf, searchBox } from '../../shared/incident/duplicates.ts'
import { isOpen } from '../../shared/incident/lifecycle.ts'

// `duplicateClusters` (shared/incident/duplicates.ts) kept change by change for the wall (#18): a spatial index of
// the open incidents and who is a possible duplicate of whom stay in place; a change searches around the one
// incident it touches and regroups only the clusters it joins or leaves.

interface Node extends BBox { item: Incident, t: number }

/** The search box a little wider than the rule's radius: the pair rule (haversine) decides, the box only finds. */
const SLACK = 1.01

const HOUR = 3_600_000

const nodeOf = (item: Incident): Node => ({ minX: item.location.lon, minY: item.location.lat, maxX: item.location.lon, maxY: item.location.lat, item, t: Date.parse(item.reportedAt) })

const byTime = (a: Incident, b: Incident) => a.reportedAt.localeCompare(b.reportedAt) || a.id.localeCompare(b.id)

export class LiveClusters implements IncidentTracker {
  private readonly tree = new RBush<Node>()
  private readonly nodes = new Map<string, Node>()
  /** Open incident id → the open incidents it is a possible duplicate of. */
  private readonly links = new Map<string, Set<string>>()
  /** Member id → its cluster (two or more members, oldest first); shared by every member. */
  private readonly clusterOf = new Map<string, Incident[]>()
  /** Ids whose cluster may have changed since `clusters()` last answered. */
  private dirty = new Set<string>()
  private ordered: Incident[][] | null = []
  /** Nodes whose links a reset has yet to find (`link` finds them a slice at a time); no clusters until done. */
  private pending: Node[] = []
  /** Clusters rebuilt in the current `clusters()` run. */
  private readonly fresh = new Set<Incident[]>()

  constructor(private rules: DuplicateRules) {}

  /** New rules (a package applied): every pair is judged again. */
  setRules(rules: DuplicateRules): void {
    this.rules = rules
    this.reset([...this.nodes.values()].map(n => n.item))
  }

  /**
   * Starts again from `incidents`. Their links are found by `link`, a slice at a time (thousands of open incidents
   * take seconds to pair on a wall PC); until then the clusters are empty and every incident is drawn on its own.
   */
  reset(incidents: Iterable<Incident>): void {
    this.tree.clear()
    this.nodes.clear()
    this.links.clear()
    this.clusterOf.clear()
    this.dirty.clear()
    this.ordered = null
    const nodes = [...incidents].filter(isOpen).map(nodeOf)
    this.tree.load(nodes)
    for (const n of nodes) {
      this.nodes.set(n.item.id, n)
      this.links.set(n.item.id, new Set())
    }
    this.pending = nodes.reverse()
  }

  /** Finds the links of pending incidents for up to `budgetMs`; answers whether none is left. */
  link(budgetMs = Number.POSITIVE_INFINITY): boolean {
    const until = performance.now() + budgetMs
    while (this.pending.length > 0) {
      const n = this.pending.pop()!
      if (this.nodes.get(n.item.id) !== n)
        continue // dropped (or moved, and linked then) meanwhile
      for (const other of this.near(n)) {
        this.links.get(n.item.id)!.add(other.id)
        this.links.get(other.id)!.add(n.item.id)
      }
      if (performance.now() > until)
        break
    }
    if (this.pending.length > 0)
      return false
    for (const id of this.nodes.keys()) this.dirty.add(id)
    this.ordered = null
    return true
  }

  /** Incidents still waiting for `link`. */
  get waiting(): number {
    return this.pending.length
  }

  update(before: Incident | undefined, after: Incident | undefined): void {
    const id = (before ?? after)!.id
    const held = this.nodes.get(id)
    if (held && after && isOpen(after) && after.location.lon === held.item.location.lon && after.location.lat === held.item.location.lat
      && after.category === held.item.category && after.reportedAt === held.item.reportedAt) {
      // The usual change (a step of the loop): nothing the rule looks at moved, so the links stand.
      held.item = after
      this.replaceMember(after)
      return
    }
    if (held) {
      this.tree.remove(held)
      this.nodes.delete(id)
      for (const other of this.links.get(id)!) {
        this.links.get(other)!.delete(id)
        this.dirty.add(other)
      }
      this.links.delete(id)
      this.dirty.add(id)
    }
    if (after && isOpen(after)) {
      const node = nodeOf(after)
      const linked = new Set(this.near(node).map(o => o.id))
      this.tree.insert(node)
      this.nodes.set(id, node)
      this.links.set(id, linked)
      for (const other of linked) {
        this.links.get(other)!.add(id)
        this.dirty.add(other)
      }
      this.dirty.add(id)
    }
  }

  /** The clusters of two or more, members oldest first, clusters by their oldest member: `duplicateClusters`. */
  clusters(): Incident[][] {
    if (this.pending.length > 0)
      return []
    if (this.dirty.size > 0) {
      for (const id of this.dirty) this.regroup(id)
      this.dirty.clear()
      this.fresh.clear()
      this.ordered = null
    }
    this.ordered ??= [...new Set(this.clusterOf.values())].sort((a, b) => byTime(a[0]!, b[0]!))
    return this.ordered
  }

  /** The cluster `id` is in, if any. */
  has(id: string): boolean {
    this.clusters()
    return this.pending.length === 0 && this.clusterOf.has(id)
  }

  private near(n: Node): Incident[] {
    const inc = n.item
    const apart = this.rules.hours * HOUR
    const out: Incident[] = []
    // Category and time first, on numbers held: the full rule (distance, eligibility) only for what can pass.
    for (const o of this.tree.search(searchBox(inc.location, this.rules.meters * SLACK))) {
      if (o !== n && Math.abs(o.t - n.t) <= apart && areRelated(this.rules, inc.category, o.item.category) && candidateOf(this.rules, inc, o.item) !== null)
        out.push(o.item)
    }
    return out
  }

  /** Rebuilds the cluster of `id` by walking its links (a cluster another dirty id already rebuilt is skipped). */
  private regroup(id: string): void {
    const was = this.clusterOf.get(id)
    if (was && this.fresh.has(was))
      return
    for (const m of was ?? []) {
      if (this.clusterOf.get(m.id) === was)
        this.clusterOf.delete(m.id)
    }
    if (!this.links.has(id)) {
      this.clusterOf.delete(id)
      return
    }
    const seen = new Set([id])
    const queue = [id]
    for (let k = 0; k < queue.length; k++) {
      for (const other of this.links.get(queue[k]!)!) {
        if (!seen.has(other)) {
          seen.add(other)
          queue.push(other)
        }
      }
    }
    if (seen.size < 2) {
      this.clusterOf.delete(id)
      return
    }
    const members = queue.map(m => this.nodes.get(m)!.item).sort(byTime)
    this.fresh.add(members)
    for (const m of queue) {
      const old = this.clusterOf.get(m)
      if (old && old !== members) {
        for (const o of old) {
          if (this.clusterOf.get(o.id) === old)
            this.clusterOf.delete(o.id)
        }
      }
      this.clusterOf.set(m, members)
    }
  }

  /** A member's next version: its cluster is a new array (consumers cache by it) in the same order. */
  private replaceMember(after: Incident): void {
    const members = this.clusterOf.get(after.id)
    if (!members)
      return
    const next = members.map(m => m.id === after.id ? after : m)
    for (const m of next) this.clusterOf.set(m.id, next)
    this.ordered = null
  }
}
