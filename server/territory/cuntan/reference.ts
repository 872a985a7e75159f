import type { ReferenceData } from '../../../shared/territory/types.ts'
import { createRng } from '../../kernel/random.ts'
import { buildFacilities } from './facilities.ts'
import { NameBook } from './names.ts'
import { buildOrganisation } from './organisation.ts'
import { buildTerritory } from './territory.ts'

/**
 * The Cuntan demo's reference data: territory, organisation, forces and facilities. DEMO DATA: the geometry,
 * names and phone numbers are invented (see server/territory/geo/README.md); the counts follow the source article.
 * Pure and deterministic: the same seed gives byte-identical JSON.
 */
export function buildCuntanReference(seed = 'cuntan'): ReferenceData {
  // Separate streams per part, so adding a person never moves a grid.
  const layout = buildTerritory(createRng(`${seed}:territory`))
  const territory = layout.territory
  const facilities = buildFacilities(createRng(`${seed}:facilities`), territory, layout.grids)
  const org = buildOrganisation(createRng(`${seed}:org`), new NameBook(createRng(`${seed}:names`)), territory, layout.grids)
  return { territory, org, facilities }
}
