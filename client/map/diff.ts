import type { Feature, Geometry } from 'geojson'
import type { GeoJSONSourceDiff } from 'maplibre-gl'

/** What the map holds of each feature: a signature of its geometry and properties. */
export type Held = Map<string, string>

const signature = (f: Feature) => JSON.stringify([f.geometry, f.properties])

/**
 * The `updateData` diff that turns what the source holds into `next`, keyed by `properties.id`, and what it
 * will hold afterwards. Unchanged features cost nothing; moved ones send only their new geometry.
 */
export function diffFeatures(held: Held, next: readonly Feature<Geometry, { id: string }>[]): { diff: GeoJSONSourceDiff | null, held: Held } {
  const now: Held = new Map()
  const add: Feature[] = []
  const update: NonNullable<GeoJSONSourceDiff['update']> = []
  for (const f of next) {
    const id = f.properties.id
    const sig = signature(f)
    now.set(id, sig)
    const before = held.get(id)
    if (before === undefined)
      add.push(f)
    else if (before !== sig)
      update.push({ id, newGeometry: f.geometry, addOrUpdateProperties: Object.entries(f.properties).map(([key, value]) => ({ key, value })) })
  }
  const remove = [...held.keys()].filter(id => !now.has(id))
  const empty = add.length === 0 && update.length === 0 && remove.length === 0
  return { diff: empty ? null : { add, update, remove }, held: now }
}
