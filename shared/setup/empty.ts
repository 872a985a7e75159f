import type { Catalog } from '../organisation/catalog.ts'
import type { SubdistrictPackage } from './package.ts'
import { DEFAULT_SCORING_CONFIG } from '../scoring/config.ts'

// What an install holds before its first package: no territory, no people, no categories. Every service runs on it
// (nothing routes, nobody is reached) until the admin imports a package on the setup page.

export const EMPTY_PACKAGE: SubdistrictPackage = {
  format: 1,
  reference: {
    territory: {
      subdistrict: { id: '', name: '', nameEn: '', code: '', center: { lon: 116.397, lat: 39.909 }, wallTitle: '', wallTitleEn: '', capAreaCodes: [], capAreaNames: [] },
      communities: [],
      grids: [],
    },
    org: { sectors: [], posts: [], people: [], rosters: [], forceKinds: [], forceUnits: [] },
    facilities: { depots: [], stations: [], riskPoints: [], shelters: [], riskTags: [], riskPointKinds: [], resourceKinds: [] },
  },
  categories: [],
  plans: [],
  scoring: DEFAULT_SCORING_CONFIG,
  headline: [],
}

/** The responsibility catalog a package defines: its sectors and posts with its categories. */
export function catalogOf(pkg: SubdistrictPackage): Catalog {
  const catalog: Catalog = { sectors: pkg.reference.org.sectors, posts: pkg.reference.org.posts, categories: pkg.categories }
  if (pkg.calendar)
    catalog.calendar = pkg.calendar
  return catalog
}

/** The wall's title: the package's, or the subdistrict's name + 基层治理指挥中心. */
export function wallTitleOf(pkg: SubdistrictPackage, lang: 'zh' | 'en' = 'zh'): string {
  const s = pkg.reference.territory.subdistrict
  if (lang === 'en')
    return s.wallTitleEn || `${s.nameEn ? `${s.nameEn} ` : ''}Grassroots Governance Command Center`
  return s.wallTitle || `${s.name}基层治理指挥中心`
}
