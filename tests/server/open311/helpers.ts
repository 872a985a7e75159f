import type { KeyScope } from '../../../shared/auth/scopes.ts'
import type { ServiceAttribute } from '../../../shared/open311/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { XMLParser } from 'fast-xml-parser'
import { expect } from 'vitest'
import { SYSTEM_PRINCIPAL } from '../../../shared/auth/authz.ts'

/** The XML answers parsed back; the lists that may hold one item stay lists. */
export const xml = new XMLParser({
  parseTagValue: false,
  jPath: true,
  isArray: (_, path) => ['services.service', 'service_requests.request', 'errors.error', 'service_definition.attributes.attribute', 'service_definition.attributes.attribute.values.value'].includes(String(path)),
})

/** A new API key with these scopes (and communities), made by the admin over HTTP; its token. */
export async function keyWith(t: TestApp, scopes: KeyScope[], communityIds?: string[]): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: await t.as('admin'), payload: { name: `open311 ${scopes.join(' ')}`, scopes, ...(communityIds ? { communityIds } : {}) } })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().token as string
}

/** Puts attributes on a category through a package edit: the catalog changes live, as an admin's edit would. */
export async function setAttributes(t: TestApp, code: string, attributes: ServiceAttribute[] | undefined): Promise<void> {
  const res = await t.ctx.setup.edit(
    { principal: { ...SYSTEM_PRINCIPAL, roles: ['admin'] }, origin: { via: 'internal', ip: null } },
    pkg => ({ ...pkg, categories: pkg.categories.map(c => (c.code === code ? { ...c, attributes } : c)) }),
    () => [],
    'open311 attributes',
  )
  expect(res.ok, JSON.stringify(res)).toBe(true)
}

/** A form body as a GeoReport client encodes it. */
export function form(fields: Record<string, string | string[]>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) {
    for (const x of [v].flat())
      p.append(k, x)
  }
  return p.toString()
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

/** A pothole-style service definition: one list, one multi list, one number, one instruction. */
export const ATTRIBUTES: ServiceAttribute[] = [
  { code: 'WHERE', datatype: 'singlevaluelist', required: true, description: '位置 Where', order: 2, values: [{ key: 'road', name: '车行道' }, { key: 'walk', name: '人行道' }] },
  { code: 'HAZARDS', datatype: 'multivaluelist', required: false, description: '危险 Hazards', order: 3, values: [{ key: 'deep', name: '较深' }, { key: 'wide', name: '较宽' }, { key: 'water', name: '积水' }] },
  { code: 'SIZE', datatype: 'number', required: false, description: '尺寸（厘米）Size in cm', order: 4 },
  { code: 'NOTE', datatype: 'text', required: false, variable: false, description: '紧急情况请拨打 110', order: 1 },
]
