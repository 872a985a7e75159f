import type { FastifyReply } from 'fastify'
import type { Format, Open311Error, Open311Request, Open311Service, PostAnswer, ServiceDefinition } from '../../shared/open311/schema.ts'
import { XMLBuilder } from 'fast-xml-parser'

// The two answer formats. XML is the spec's required one: each resource has its root and item element names
// (services/service, service_requests/request, errors/error); JSON is the same data as arrays and objects.

const builder = new XMLBuilder({ format: true, suppressEmptyNode: false })
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

type Scalar = string | number | boolean | null | undefined
// Characters XML 1.0 cannot carry at all (a description pasted with a stray control character): dropped, so the
// document still parses.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\v\f\u000E-\u001F\uFFFE\uFFFF]/g

/** XML has no null: an absent value is an empty element, as the spec's examples show them. */
const text = (v: Scalar) => (v === null || v === undefined ? '' : String(v).replace(NOT_XML, ''))

function xml(root: string, content: unknown): string {
  return DECLARATION + builder.build({ [root]: content })
}

function flat<T extends object>(item: T): Record<string, string> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, text(v as Scalar)]))
}

export const toXml = {
  services: (list: Open311Service[]) => xml('services', { service: list.map(flat) }),
  definition: (d: ServiceDefinition) => xml('service_definition', {
    service_code: d.service_code,
    attributes: {
      attribute: d.attributes.map(({ values, ...a }) => ({
        ...flat(a),
        ...(values ? { values: { value: values.map(flat) } } : {}),
      })),
    },
  }),
  requests: (list: (Open311Request | PostAnswer | { service_request_id: string, token: string })[]) => xml('service_requests', { request: list.map(flat) }),
  errors: (list: Open311Error[]) => xml('errors', { error: list.map(flat) }),
}

/** Sends a body in the format the resource's suffix asked for, UTF-8 as the spec requires. */
export function send(reply: FastifyReply, format: Format, json: unknown, asXml: () => string, status = 200) {
  reply.code(status)
  if (format === 'xml')
    return reply.type('text/xml; charset=utf-8').send(asXml())
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(json))
}

/** The format a path asks for: its `.xml` suffix, else JSON (an unknown path's error too). */
export function formatOf(url: string): Format {
  return /\.xml$/i.test(url.split('?')[0]!) ? 'xml' : 'json'
}

/** An error in the spec's shape, in the path's format. */
export function errorPayload(url: string, errors: Open311Error[]): { type: string, body: string } {
  return formatOf(url) === 'xml'
    ? { type: 'text/xml; charset=utf-8', body: toXml.errors(errors) }
    : { type: 'application/json; charset=utf-8', body: JSON.stringify(errors) }
}
