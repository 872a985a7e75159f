import type { CapAlert, CapArea, CapInfo, CapParseResult } from './types.ts'
// CAP 1.2 (OASIS, 2010) alert → CapAlert, refusing with a reason that names the element.
import type { XmlElement } from './xml.ts'
import { CAP_CATEGORIES, CAP_CERTAINTIES, CAP_MSG_TYPES, CAP_SCOPES, CAP_SEVERITIES, CAP_STATUSES, CAP_URGENCIES } from './types.ts'
import { capCircle, capDateTime, CapError, capPolygon, capReferences } from './values.ts'
import { readCapXml } from './xml.ts'

export type { CapAlert, CapArea, CapInfo, CapParseResult, CapReference } from './types.ts'

/** Where we are, for messages: "info 2, area 1" and the field path "info[1].area[0]". */
interface At { label: string, path: string }
const TOP: At = { label: '', path: '' }

function within(at: At, label: string, path: string): At {
  return { label: at.label ? `${at.label}, ${label}` : label, path: at.path ? `${at.path}.${path}` : path }
}

function fail(at: At, message: string, name: string): never {
  throw new CapError(at.label ? `${at.label}: ${message}` : message, at.path ? `${at.path}.${name}` : name)
}

function all(el: XmlElement, name: string): XmlElement[] {
  return el.children[name] ?? []
}

function optional(el: XmlElement, name: string, at: At): string | undefined {
  const list = all(el, name)
  if (list.length > 1)
    fail(at, `<${name}> appears ${list.length} times; CAP 1.2 allows one`, name)
  return list[0]?.text
}

function required(el: XmlElement, name: string, at: At): string {
  const value = optional(el, name, at)
  if (value === undefined)
    fail(at, `<${name}> is missing; CAP 1.2 requires it`, name)
  if (value === '')
    fail(at, `<${name}> is empty; CAP 1.2 requires a value`, name)
  return value
}

function oneOf<T extends string>(el: XmlElement, name: string, allowed: readonly T[], at: At): T {
  const value = required(el, name, at)
  if (!(allowed as readonly string[]).includes(value))
    fail(at, `<${name}> is "${value}"; CAP 1.2 allows ${allowed.join(', ')}`, name)
  return value as T
}

function dateTime(el: XmlElement, name: string, at: At, must: true): string
function dateTime(el: XmlElement, name: string, at: At, must: false): string | undefined
function dateTime(el: XmlElement, name: string, at: At, must: boolean): string | undefined {
  const raw = must ? required(el, name, at) : optional(el, name, at)
  if (raw === undefined || (!must && raw === ''))
    return undefined
  const iso = capDateTime(raw)
  if (iso === null)
    fail(at, `<${name}> "${raw}" is not a date-time with an offset, like 2024-07-10T05:30:00+08:00`, name)
  return iso
}

function noSpaceOrComma(value: string, name: string): string {
  // References are "sender,identifier,sent" separated by spaces: either character here would break them.
  if (/[\s,]/.test(value))
    throw new CapError(`<${name}> "${value}" contains a space or comma, which CAP 1.2 forbids`, name)
  return value
}

/** `<parameter>`, `<eventCode>`, `<geocode>`: valueName/value pairs. */
function pairs(el: XmlElement, name: string, at: At): [string, string][] {
  return all(el, name).map((pair, i) => {
    const here = within(at, `<${name}> ${i + 1}`, `${name}[${i}]`)
    const key = optional(pair, 'valueName', here)
    if (!key)
      fail(here, '<valueName> is missing', 'valueName')
    return [key, optional(pair, 'value', here) ?? '']
  })
}

function joined(entries: [string, string][]): Record<string, string> {
  const map = new Map<string, string>()
  for (const [k, v] of entries)
    map.set(k, map.has(k) ? `${map.get(k)}; ${v}` : v)
  return Object.fromEntries(map) // fromEntries defines own properties: a valueName "__proto__" stays data
}

function parseArea(el: XmlElement, at: At): CapArea {
  const areaDesc = required(el, 'areaDesc', at)
  const polygons = all(el, 'polygon').map((p, i) => capPolygon(p.text, `${at.path}.polygon[${i}]`))
  const circles = all(el, 'circle').map((c, i) => capCircle(c.text, `${at.path}.circle[${i}]`))
  const geocodes = new Map<string, string[]>()
  for (const [k, v] of pairs(el, 'geocode', at))
    geocodes.set(k, [...(geocodes.get(k) ?? []), v])
  return { areaDesc, polygons, circles, geocodes: Object.fromEntries(geocodes) }
}

function parseInfo(el: XmlElement, at: At): CapInfo {
  const category = all(el, 'category').map((c) => {
    if (!(CAP_CATEGORIES as readonly string[]).includes(c.text))
      fail(at, `<category> is "${c.text}"; CAP 1.2 allows ${CAP_CATEGORIES.join(', ')}`, 'category')
    return c.text as CapInfo['category'][number]
  })
  if (category.length === 0)
    fail(at, '<category> is missing; CAP 1.2 requires at least one', 'category')
  const info: CapInfo = {
    language: optional(el, 'language', at) || 'en-US',
    category,
    event: required(el, 'event', at),
    urgency: oneOf(el, 'urgency', CAP_URGENCIES, at),
    severity: oneOf(el, 'severity', CAP_SEVERITIES, at),
    certainty: oneOf(el, 'certainty', CAP_CERTAINTIES, at),
    parameters: joined(pairs(el, 'parameter', at)),
    eventCodes: joined(pairs(el, 'eventCode', at)),
    areas: all(el, 'area').map((a, i) => parseArea(a, within(at, `area ${i + 1}`, `area[${i}]`))),
  }
  for (const name of ['headline', 'description', 'instruction', 'senderName'] as const) {
    const value = optional(el, name, at)
    if (value)
      info[name] = value
  }
  for (const name of ['effective', 'onset', 'expires'] as const) {
    const value = dateTime(el, name, at, false)
    if (value)
      info[name] = value
  }
  return info
}

function parseAlert(root: XmlElement): CapAlert {
  const msgType = oneOf(root, 'msgType', CAP_MSG_TYPES, TOP)
  const references = optional(root, 'references', TOP)
  return {
    identifier: noSpaceOrComma(required(root, 'identifier', TOP), 'identifier'),
    sender: noSpaceOrComma(required(root, 'sender', TOP), 'sender'),
    sent: dateTime(root, 'sent', TOP, true),
    status: oneOf(root, 'status', CAP_STATUSES, TOP),
    msgType,
    scope: oneOf(root, 'scope', CAP_SCOPES, TOP),
    references: references ? capReferences(references) : [],
    infos: all(root, 'info').map((info, i) => parseInfo(info, within(TOP, `info ${i + 1}`, `info[${i}]`))),
  }
}

/**
 * Parse and validate one CAP 1.2 alert. Never throws: a refusal carries a sentence for the sender (the HTTP
 * route returns it with 400) and, when one element is at fault, its path (`info[0].area[1].polygon[0]`).
 */
export function parseCap(xml: string): CapParseResult {
  try {
    return { ok: true, alert: parseAlert(readCapXml(xml)) }
  }
  catch (error) {
    if (error instanceof CapError)
      return error.field === undefined ? { ok: false, error: error.message } : { ok: false, error: error.message, field: error.field }
    return { ok: false, error: `the alert could not be read: ${error instanceof Error ? error.message : String(error)}` }
  }
}
