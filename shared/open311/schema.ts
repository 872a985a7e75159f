import type { Static } from 'typebox'
import { Type } from 'typebox'
import { TEXT_LIMITS } from '../kernel/limits.ts'

// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/): the service definitions a category may carry, the
// request a client posts once its form or JSON body is read, and the queries of the read methods. Field names are
// the spec's, snake_case, so a client's parameters map one to one.

export const AttributeDatatype = Type.Union([
  Type.Literal('string'),
  Type.Literal('number'),
  Type.Literal('datetime'),
  Type.Literal('text'),
  Type.Literal('singlevaluelist'),
  Type.Literal('multivaluelist'),
])
export type AttributeDatatype = Static<typeof AttributeDatatype>

/** One choice of a singlevaluelist or multivaluelist: `key` is what a client sends, `name` what a person reads. */
export const AttributeValueT = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 120 }),
}, { additionalProperties: false })

/**
 * A service definition's attribute, kept on a catalog category (`attributes`, optional, in the package). `variable`
 * false is an instruction shown to the person and takes no value.
 */
export const ServiceAttributeT = Type.Object({
  code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  datatype: AttributeDatatype,
  required: Type.Boolean(),
  description: Type.String({ minLength: 1, maxLength: 500 }),
  order: Type.Integer({ minimum: 1, maximum: 999 }),
  variable: Type.Optional(Type.Boolean()),
  datatype_description: Type.Optional(Type.String({ maxLength: 200 })),
  values: Type.Optional(Type.Array(AttributeValueT, { minItems: 1, maxItems: 100 })),
}, { additionalProperties: false })
export type ServiceAttribute = Static<typeof ServiceAttributeT>

/** The answer formats: the resource's suffix (`services.json`, `services.xml`). */
export const Format = Type.Union([Type.Literal('json'), Type.Literal('xml')])
export type Format = Static<typeof Format>

const text = (max: number) => Type.Optional(Type.String({ maxLength: max }))
/** A decimal degree as a form sends it (text) or JSON does (a number). */
const coordinate = (min: number, max: number) => Type.Optional(Type.Union([Type.Number({ minimum: min, maximum: max }), Type.String({ pattern: '^\\s*-?\\d{1,3}(\\.\\d+)?\\s*$', maxLength: 40 })]))
/** An attribute's value: one, or several for a multivaluelist (`attribute[code][]=a&attribute[code][]=b`). */
export const AttributeInput = Type.Union([Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })])

/** POST requests, after a form or JSON body is read (`attribute[code]` gathered into `attribute`). */
export const PostRequestT = Type.Object({
  api_key: text(200),
  jurisdiction_id: text(120),
  service_code: Type.String({ minLength: 1, maxLength: 64 }),
  lat: coordinate(-90, 90),
  long: coordinate(-180, 180),
  address_string: text(TEXT_LIMITS.address),
  address_id: text(64),
  email: text(254),
  device_id: text(200),
  account_id: text(200),
  first_name: text(TEXT_LIMITS.reporterName),
  last_name: text(TEXT_LIMITS.reporterName),
  phone: text(TEXT_LIMITS.reporterPhone),
  description: text(TEXT_LIMITS.description),
  media_url: Type.Optional(Type.String({ maxLength: 1024, pattern: '^$|^https?://' })),
  attribute: Type.Record(Type.String({ maxLength: 64 }), AttributeInput, { maxProperties: 30 }),
}, { additionalProperties: false })
export type PostRequest = Static<typeof PostRequestT>

/**
 * GET requests: the spec's filters (lists comma separated), plus `locale` (zh-CN by default, or en). Queries stay
 * open: a client's extra parameters (paging extensions, its own) are not read, so they cannot hurt.
 */
export const RequestsQuery = Type.Object({
  api_key: text(200),
  jurisdiction_id: text(120),
  service_request_id: text(2000),
  service_code: text(2000),
  start_date: Type.Optional(Type.String({ format: 'date-time' })),
  end_date: Type.Optional(Type.String({ format: 'date-time' })),
  status: Type.Optional(Type.String({ pattern: '^(open|closed)(,(open|closed))*$' })),
  locale: text(20),
})
export type RequestsQuery = Static<typeof RequestsQuery>

/** What the other methods take in the query: the key, the ignored jurisdiction, the language. */
export const ReadQuery = Type.Object({
  api_key: text(200),
  jurisdiction_id: text(120),
  locale: text(20),
})
export type ReadQuery = Static<typeof ReadQuery>

export interface Open311Service {
  service_code: string
  service_name: string
  description: string
  metadata: boolean
  type: 'realtime'
  keywords: string
  group: string
}

export interface ServiceDefinition {
  service_code: string
  attributes: (Omit<ServiceAttribute, 'variable'> & { variable: boolean, datatype_description: string })[]
}

/** One service request as the read methods answer it: never a reporter's name, phone, email or account. */
export interface Open311Request {
  service_request_id: string
  status: 'open' | 'closed'
  status_notes: string
  service_name: string
  service_code: string
  description: string
  agency_responsible: string
  service_notice: string
  requested_datetime: string
  updated_datetime: string
  expected_datetime: string | null
  address: string
  address_id: string
  zipcode: string
  lat: number
  long: number
  media_url: string
}

export interface PostAnswer { service_request_id: string, service_notice: string, account_id: string | null }

/** The spec's error: `[{ code, description }]`, the description naming the field to fix. */
export interface Open311Error { code: number, description: string }
