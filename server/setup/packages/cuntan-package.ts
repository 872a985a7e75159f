import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import { DEFAULT_CATALOG } from '../../../shared/organisation/catalog.ts'
import { DEFAULT_SCORING_CONFIG } from '../../../shared/scoring/config.ts'
import { DEFAULT_PLANS } from '../../../shared/wartime/default-plans.ts'
import { buildCuntanReference } from '../../territory/cuntan/reference.ts'

/** The Cuntan demo as a package: what `scripts/export-cuntan.ts` writes to `server/setup/packages/cuntan/`. */
export function buildCuntanPackage(): SubdistrictPackage {
  return {
    format: 1,
    reference: buildCuntanReference(),
    categories: structuredClone(DEFAULT_CATALOG.categories),
    plans: DEFAULT_PLANS.map(({ version: _v, updatedAt: _u, ...plan }) => structuredClone(plan)),
    scoring: structuredClone(DEFAULT_SCORING_CONFIG),
    headline: ['property_dispute', 'petition'],
  }
}
