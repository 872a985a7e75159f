import type { Incident } from '../incident/schema.ts'
import type { Catalog } from '../organisation/catalog.ts'
import type { ReferenceData } from '../territory/types.ts'
import type { Open311Request } from './schema.ts'
import type { Lang } from './services.ts'
import { localIso } from '../kernel/time.ts'
import { open311Status, statusNotes } from './status.ts'

// An incident as an Open311 service request: what a resident's app may know about it, never who reported it.

type WithHistory = Incident & { history?: { note?: string }[] }

/** The body that answers for it: the owning sector, else the community or grid that carries it, else the subdistrict. */
export function agencyOf(inc: Incident, ref: ReferenceData, catalog: Catalog, lang: Lang): string {
  const o = inc.owner
  const sector = o.sectorId ? catalog.sectors.find(s => s.id === o.sectorId) : undefined
  if (sector)
    return lang === 'en' ? sector.nameEn || sector.name : sector.name
  if (inc.labels?.sector)
    return inc.labels.sector
  const community = o.communityId ? ref.territory.communities.find(c => c.id === o.communityId) : undefined
  if (o.loop !== 'subdistrict' && community)
    return lang === 'en' ? community.nameEn || community.name : community.name
  const sd = ref.territory.subdistrict
  return lang === 'en' ? sd.nameEn || sd.name : sd.name
}

/** What to expect: who handles it and, while it waits, by when its current stage is due. */
export function noticeOf(inc: Incident, agency: string, lang: Lang): string {
  const due = inc.stageDeadline ? localIso(inc.stageDeadline).slice(0, 16).replace('T', ' ') : null
  if (lang === 'en')
    return `Handled by ${agency}${due ? `; this stage is due by ${due} (UTC+8)` : ''}`
  return `由${agency}办理${due ? `，当前环节时限 ${due}` : ''}`
}

/**
 * The request as the read methods answer it. A merged request reports the incident it was merged into (the same
 * problem, handled once): its status, with a note naming it, so its reporter learns the outcome.
 */
export function requestOf(inc: WithHistory, ctx: { ref: ReferenceData, catalog: Catalog, lang: Lang, mergedInto?: WithHistory | null }): Open311Request {
  const { ref, catalog, lang } = ctx
  const category = catalog.categories.find(c => c.code === inc.category)
  const agency = agencyOf(inc, ref, catalog, lang)
  const target = inc.state === 'merged' ? ctx.mergedInto ?? null : null
  const status = open311Status((target ?? inc).state)
  const notes = target
    ? `${statusNotes(inc, lang)}${lang === 'en' ? ` (${target.id}): ` : `（${target.id}）：`}${statusNotes(target, lang)}`
    : statusNotes(inc, lang)
  return {
    service_request_id: inc.id,
    status,
    status_notes: notes,
    service_name: category ? (lang === 'en' ? category.nameEn || category.name : category.name) : inc.labels?.category ?? inc.category,
    service_code: inc.category,
    description: inc.description,
    agency_responsible: agency,
    service_notice: noticeOf(target ?? inc, agency, lang),
    requested_datetime: localIso(inc.reportedAt),
    updated_datetime: localIso(target && target.updatedAt > inc.updatedAt ? target.updatedAt : inc.updatedAt),
    expected_datetime: (target ?? inc).stageDeadline ? localIso((target ?? inc).stageDeadline!) : null,
    address: inc.address,
    address_id: inc.owner.gridId ?? '',
    zipcode: '',
    lat: inc.location.lat,
    long: inc.location.lon,
    media_url: inc.mediaUrl ?? '',
  }
}
