import type { Feature, FeatureCollection, Point } from 'geojson'
import type { Incident } from '../../shared/incident/schema.ts'
import type { IncidentTracker } from '../incident/store.ts'
import type { IncidentProps } from './features.ts'
import { isOpen } from '../../shared/incident/lifecycle.ts'
import { OverdueClock } from '../stats/overdue-clock.ts'

type IncidentFeature = Feature<Point, IncidentProps>

/**
 * `incidentFeatures` kept change by change (#18): one feature per open incident, rebuilt only when its incident
 * changes or its deadline passes, so sending the layer costs an array of what is held, not a feature per incident.
 */
export class IncidentPoints implements IncidentTracker {
  private readonly clock = new OverdueClock()
  /** In the order the store first held each incident, as `incidentFeatures` walks it. */
  private readonly features = new Map<string, IncidentFeature>()

  reset(incidents: Iterable<Incident>): void {
    this.clock.clear()
    this.features.clear()
    for (const i of incidents) this.update(undefined, i)
  }

  update(before: Incident | undefined, after: Incident | undefined): void {
    if (before)
      this.clock.remove(before)
    if (after && isOpen(after))
      this.features.set(after.id, feature(after, this.clock.add(after)))
    else if (before)
      this.features.delete(before.id)
  }

  /** The open incidents at `now` as `incidentFeatures` draws them, leaving out those `skip` says a cluster draws. */
  collection(now: number, skip: (id: string) => boolean): FeatureCollection<Point, IncidentProps> {
    for (const i of this.clock.advance(now)) this.features.set(i.id, feature(i, true))
    const features: IncidentFeature[] = []
    for (const [id, f] of this.features) {
      if (!skip(id))
        features.push(f)
    }
    return { type: 'FeatureCollection', features }
  }
}

function feature(i: Incident, overdue: boolean): IncidentFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
    properties: { id: i.id, severity: i.severity, state: i.state, category: i.category, overdue },
  }
}
