import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { DEFAULT_SCORING_CONFIG } from '../../../shared/scoring/config.ts'
import { DEFAULT_PLANS } from '../../../shared/wartime/default-plans.ts'
import { buildCuntanReference } from './reference.ts'
import { cuntanSensors } from './sensors.ts'

/** Cuntan's whole package, built from code: what `scripts/export-cuntan.ts` writes to files. Deterministic. */
export function buildCuntanPackage(): SubdistrictPackage {
  const reference = buildCuntanReference()
  return {
    format: 1,
    reference,
    categories: structuredClone(DEFAULT_CATALOG.categories),
    plans: DEFAULT_PLANS.map(({ version: _v, updatedAt: _u, ...p }) => structuredClone(p)),
    scoring: structuredClone(DEFAULT_SCORING_CONFIG),
    headline: ['property_dispute', 'petition'],
    sensors: cuntanSensors(reference.territory.grids),
  }
}
