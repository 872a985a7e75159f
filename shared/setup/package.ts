import type { DuplicateSettings } from '../incident/duplicates.ts'
import type { InfoReportSettings } from '../inforeport/rules.ts'
import type { CalendarOverride } from '../kernel/workdays.ts'
import type { Category } from '../organisation/catalog.ts'
import type { ScoringConfig } from '../scoring/config.ts'
import type { SensorStation } from '../sensors/schema.ts'
import type { ReferenceData } from '../territory/types.ts'
import type { Plan } from '../wartime/schema.ts'

// A subdistrict package (辖区数据包): everything one subdistrict differs in, as data. The files an integrator hands
// over (docs/package-format.md) are read into this; the server applies it as one versioned reference change.

/** A plan as the package carries it: its version and edit time belong to the install, not the package. */
export type PackagePlan = Omit<Plan, 'version' | 'updatedAt'>

export interface SubdistrictPackage {
  /** The package format (this file); a reader refuses formats it does not know. */
  format: 1
  /** Territory (subdistrict, communities, grids), organisation (sectors, posts, people, rosters, forces), facilities. */
  reference: ReferenceData
  /** Incident categories with severities, deadlines and responsibility entries (责任清单). */
  categories: Category[]
  /** Emergency plans (预案). */
  plans: PackagePlan[]
  /** Monthly horse-race weights, targets and tiers. */
  scoring: ScoringConfig
  /** Category codes whose counts head the wall and the monthly report (e.g. property disputes, petitions). */
  headline: string[]
  /**
   * Holidays and make-up working days (调休) the package declares over the published calendar: for a year the
   * maintained calendar does not carry yet, or a local day off. Absent: the published calendar alone.
   */
  calendar?: CalendarOverride
  /** Possible-duplicate thresholds (docs/duplicates.md); absent = the defaults in shared/incident/duplicates.ts. */
  duplicates?: Partial<DuplicateSettings>
  /** The information reports' deadlines (docs/inforeport.md); absent = the defaults in shared/inforeport/rules.ts. */
  inforeports?: InfoReportSettings
  /** Sensor stations and their thresholds (sensors.json, docs/sensors.md); absent = no sensors. */
  sensors?: SensorStation[]
}

/** Coordinate systems a package's geometry may come in; GCJ-02 is converted to WGS84 on import. */
export type SourceCrs = 'WGS84' | 'CGCS2000' | 'GCJ02'
export const SOURCE_CRS: readonly SourceCrs[] = ['WGS84', 'CGCS2000', 'GCJ02']

/**
 * One reason a package is refused, pointing at the place to fix: the file, and for a workbook the sheet, row
 * (1-based, as Excel shows it; the header is row 1) and column header; for GeoJSON the feature (1-based) and property.
 */
export interface PackageProblem {
  file: string
  sheet?: string
  row?: number
  column?: string
  /** The id or code of the record, when it has one. */
  id?: string
  /** Stable machine code, e.g. duplicate_code, unknown_reference, ring_not_closed, self_intersection, grid_overlap. */
  code: string
  /** zh-CN, shown to the admin. */
  reason: string
  reasonEn: string
}

/** What applying a package would change, section by section (sections: communities, grids, sectors, posts, people, …). */
export interface SectionDiff {
  section: string
  added: string[]
  changed: string[]
  removed: string[]
}

/** An open incident a change touches: its grid, community, category, post or assignee is removed. */
export interface AffectedIncident {
  id: string
  title: string
  reason: string
  reasonEn: string
}

export interface PackageDiff {
  sections: SectionDiff[]
  /** Settings that change: title, codes, headline, scoring. */
  settings: string[]
  affected: AffectedIncident[]
}
