// CAP 1.2 (OASIS Common Alerting Protocol) as this project reads it: plain, JSON-serialisable data.
// Coordinates are GeoJSON order [lon, lat] (WGS 84); CAP writes them "lat,lon" and the parser swaps them.

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2'

export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const
export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const
export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const
export const CAP_CATEGORIES = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'] as const
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const

export type CapStatus = typeof CAP_STATUSES[number]
export type CapMsgType = typeof CAP_MSG_TYPES[number]
export type CapScope = typeof CAP_SCOPES[number]
export type CapCategory = typeof CAP_CATEGORIES[number]
export type CapUrgency = typeof CAP_URGENCIES[number]
export type CapSeverity = typeof CAP_SEVERITIES[number]
export type CapCertainty = typeof CAP_CERTAINTIES[number]

/** One `sender,identifier,sent` triple of `<references>`; `sent` is ISO (UTC) when it parsed, else as written. */
export interface CapReference { sender: string, identifier: string, sent: string }

export interface CapCircle { center: { lon: number, lat: number }, radiusKm: number }

export interface CapArea {
  areaDesc: string
  /** One GeoJSON ring per CAP `<polygon>`, [lon, lat], closed; every polygon is kept. */
  polygons: number[][][]
  circles: CapCircle[]
  /** valueName → every value given under it (SAME, UGC, GB/T 2260 codes …). */
  geocodes: Record<string, string[]>
}

export interface CapInfo {
  /** RFC 3066 tag; CAP's default is en-US when the element is absent. */
  language: string
  category: CapCategory[]
  event: string
  urgency: CapUrgency
  severity: CapSeverity
  certainty: CapCertainty
  headline?: string
  description?: string
  instruction?: string
  /** ISO (UTC). */
  effective?: string
  onset?: string
  expires?: string
  senderName?: string
  /** valueName → value; a name given more than once keeps every value, joined by "; ". */
  parameters: Record<string, string>
  eventCodes: Record<string, string>
  areas: CapArea[]
}

export interface CapAlert {
  identifier: string
  sender: string
  /** ISO (UTC). */
  sent: string
  status: CapStatus
  msgType: CapMsgType
  scope: CapScope
  references: CapReference[]
  /** Every `<info>` block (one per language, usually), in document order. */
  infos: CapInfo[]
}

export type CapParseResult
  = | { ok: true, alert: CapAlert }
    | { ok: false, error: string, field?: string }
