import type { Issue, PackageOrigins } from './origins.ts'
import type { PackageProblem, SubdistrictPackage } from './package.ts'
import { locate } from './origins.ts'
import { checkCatalog } from './validate-catalog.ts'
import { checkGeometry } from './validate-geometry.ts'
import { checkOrganisation } from './validate-org.ts'

// Every check a package passes before anything is applied. Pure: the codec hands in the package and where each
// record came from, and turns the issues into row-level problems. Empty = the package can be applied.

export { DEFAULT_TOLERANCE } from './validate-geometry.ts'

export interface ValidateOptions {
  /** Share of a grid's area that may overlap another grid or lie outside every community (default 0.01). */
  tolerance?: number
}

export function packageIssues(pkg: SubdistrictPackage, opts: ValidateOptions = {}): Issue[] {
  return [...checkOrganisation(pkg), ...checkCatalog(pkg), ...checkGeometry(pkg, opts.tolerance)]
}

export function validatePackage(pkg: SubdistrictPackage, origins: PackageOrigins, opts: ValidateOptions = {}): PackageProblem[] {
  return packageIssues(pkg, opts).map(i => locate(i, origins))
}
