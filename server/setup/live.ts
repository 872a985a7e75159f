import type { Catalog } from '../../shared/organisation/catalog.ts'
import type { SubdistrictPackage } from '../../shared/setup/package.ts'
import type { ReferenceData } from '../../shared/territory/types.ts'
import { catalogOf, EMPTY_PACKAGE } from '../../shared/setup/empty.ts'
import { GridIndex } from '../../shared/territory/geo.ts'

/**
 * The subdistrict package in force, and what is derived from it (catalog, grid index), swapped whole when a new
 * version is applied. Services read through it at each call, never keep a copy: a change reaches every service at
 * once, without a restart. Version 0 = nothing applied yet (an empty install).
 */
export interface LiveReference {
  readonly version: number
  readonly pkg: SubdistrictPackage
  readonly reference: ReferenceData
  readonly catalog: Catalog
  readonly grids: GridIndex
  /** Puts a version in force (the setup service calls it after the commit). Older versions are ignored. */
  set: (version: number, pkg: SubdistrictPackage) => void
  /** Called after each version is put in force. */
  onChange: (listener: (version: number) => void) => () => void
}

export function createLiveReference(version = 0, pkg: SubdistrictPackage = EMPTY_PACKAGE): LiveReference {
  let state = derive(version, pkg)
  const listeners = new Set<(version: number) => void>()
  return {
    get version() { return state.version },
    get pkg() { return state.pkg },
    get reference() { return state.pkg.reference },
    get catalog() { return state.catalog },
    get grids() { return state.grids },
    set(v, p) {
      if (v <= state.version)
        return
      state = derive(v, p)
      for (const l of listeners)
        l(v)
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

function derive(version: number, pkg: SubdistrictPackage) {
  return { version, pkg, catalog: catalogOf(pkg), grids: new GridIndex(pkg.reference.territory.grids) }
}
