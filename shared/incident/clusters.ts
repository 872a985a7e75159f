import type { BBox } from '../kernel/geo.ts'
import type { DuplicateRules, DupSubject } from './duplicates.ts'
import RBush from 'rbush'
import { candidateOf, searchBox } from './duplicates.ts'
import { isOpen } from './lifecycle.ts'

// Apart from the rest of the duplicate rules because of its spatial index (rbush): only the wall draws clusters,
// and every other page (the phones first) imports the rules without it.

interface Node<T> extends BBox { i: number, item: T }

/**
 * Open incidents that are possible duplicates of each other, joined transitively (A~B and B~C make one cluster of
 * three). Each cluster of two or more, its members oldest first (the first is the natural master); clusters in
 * the order of their oldest member. Merged, rejected and finished incidents are in none.
 */
export function duplicateClusters<T extends DupSubject>(rules: DuplicateRules, incidents: Iterable<T>): T[][] {
  const open = [...incidents].filter(isOpen)
  const tree = new RBush<Node<T>>()
  tree.load(open.map((item, i) => ({ minX: item.location.lon, minY: item.location.lat, maxX: item.location.lon, maxY: item.location.lat, i, item })))
  const parent = open.map((_, i) => i)
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!
      i = parent[i]!
    }
    return i
  }
  open.forEach((inc, i) => {
    for (const n of tree.search(searchBox(inc.location, rules.meters))) {
      if (n.i > i && candidateOf(rules, inc, n.item))
        parent[root(n.i)] = root(i)
    }
  })
  const groups = new Map<number, T[]>()
  open.forEach((inc, i) => {
    const r = root(i)
    const g = groups.get(r)
    if (g)
      g.push(inc)
    else
      groups.set(r, [inc])
  })
  const byTime = (a: T, b: T) => a.reportedAt.localeCompare(b.reportedAt) || a.id.localeCompare(b.id)
  return [...groups.values()]
    .filter(g => g.length > 1)
    .map(g => g.sort(byTime))
    .sort((a, b) => byTime(a[0]!, b[0]!))
}
