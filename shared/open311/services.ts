import type { Catalog, Category } from '../organisation/catalog.ts'
import type { Open311Service, ServiceAttribute, ServiceDefinition } from './schema.ts'

// The catalog as Open311 services: each category is a service, its code the service_code. A category's attributes
// (optional, in the package) are its service definition; a category without them has none (metadata false).

export type Lang = 'zh' | 'en'

const LOOP_WORDS: Record<Category['loop'], { zh: string, en: string }> = {
  grid: { zh: '网格', en: 'the grid' },
  community: { zh: '社区', en: 'the community' },
  subdistrict: { zh: '街道', en: 'the subdistrict' },
}

/** The sector that leads a category's cases; community and grid tasks are carried by the place itself. */
export function ownerOf(catalog: Catalog, category: Category, lang: Lang): string {
  const r = category.responsibility
  const lead = r.type === 'single' ? r : r.type === 'cross' ? r.lead : null
  const sector = lead ? catalog.sectors.find(s => s.id === lead.sectorId) : undefined
  if (sector)
    return lang === 'en' ? sector.nameEn || sector.name : sector.name
  return LOOP_WORDS[category.loop][lang]
}

const nameOf = (c: Category, lang: Lang) => (lang === 'en' ? c.nameEn || c.name : c.name)

/** GET services: one entry per category, in the catalog's order. */
export function servicesOf(catalog: Catalog, lang: Lang = 'zh'): Open311Service[] {
  return catalog.categories.map((c) => {
    const owner = ownerOf(catalog, c, lang)
    const accept = c.deadlines.reported
    const when = accept === undefined ? '' : lang === 'en' ? `, accepted within ${accept} minutes` : `，${accept} 分钟内受理`
    return {
      service_code: c.code,
      service_name: nameOf(c, lang),
      description: lang === 'en' ? `Handled by ${owner}${when}` : `由${owner}办理${when}`,
      metadata: (c.attributes?.length ?? 0) > 0,
      type: 'realtime',
      keywords: [c.name, c.nameEn].filter(Boolean).join(','),
      group: owner,
    }
  })
}

/** GET services/{code}: the category's attributes in their order; null when the catalog has no such code. */
export function definitionOf(catalog: Catalog, code: string): ServiceDefinition | null {
  const c = catalog.categories.find(x => x.code === code)
  if (!c)
    return null
  const attributes = [...(c.attributes ?? [])].sort((a, b) => a.order - b.order).map(a => ({
    ...a,
    variable: a.variable ?? true,
    datatype_description: a.datatype_description ?? '',
  }))
  return { service_code: c.code, attributes }
}

/** A posted value's problem, naming the field as the client sent it (`attribute[code]`); null when it fits. */
export function checkAttributes(defs: readonly ServiceAttribute[], posted: Record<string, string | string[]>): { field: string, message: string } | null {
  const byCode = new Map(defs.map(d => [d.code, d]))
  for (const code of Object.keys(posted)) {
    const d = byCode.get(code)
    if (!d || d.variable === false)
      return { field: `attribute[${code}]`, message: `attribute[${code}] is not an attribute of this service` }
  }
  for (const d of defs) {
    const field = `attribute[${d.code}]`
    if (d.variable === false)
      continue
    const raw = posted[d.code]
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(v => v.trim()).filter(v => v !== '')
    if (values.length === 0) {
      if (d.required)
        return { field, message: `${field} is required: ${d.description}` }
      continue
    }
    if (values.length > 1 && d.datatype !== 'multivaluelist')
      return { field, message: `${field} takes one value` }
    const keys = d.values?.map(v => v.key) ?? []
    for (const v of values) {
      if ((d.datatype === 'singlevaluelist' || d.datatype === 'multivaluelist') && !keys.includes(v))
        return { field, message: `${field} must be one of ${keys.join(', ')}` }
      if (d.datatype === 'number' && !Number.isFinite(Number(v)))
        return { field, message: `${field} must be a number` }
      if (d.datatype === 'datetime' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.test(v))
        return { field, message: `${field} must be an ISO 8601 date-time with its offset` }
    }
  }
  return null
}

/** The values kept on the incident: trimmed, empty ones dropped, a multivaluelist always a list. */
export function keptAttributes(defs: readonly ServiceAttribute[], posted: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const d of defs) {
    const raw = posted[d.code]
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(v => v.trim()).filter(v => v !== '')
    if (values.length > 0)
      out[d.code] = d.datatype === 'multivaluelist' ? values : values[0]!
  }
  return out
}

/** Problems in a category's attribute list (the package check): duplicate codes, lists without values. */
export function attributeProblems(c: Pick<Category, 'code' | 'attributes'>): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const a of c.attributes ?? []) {
    if (seen.has(a.code))
      problems.push(`category ${c.code}: duplicate attribute ${a.code}`)
    seen.add(a.code)
    const list = a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist'
    if (list && !a.values?.length)
      problems.push(`category ${c.code}: attribute ${a.code} is a ${a.datatype} without values`)
    if (!list && a.values?.length)
      problems.push(`category ${c.code}: attribute ${a.code} has values but is a ${a.datatype}`)
  }
  return problems
}
