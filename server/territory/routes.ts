import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import type { AppContext } from '../context.ts'
import { authorizeRead } from '../../shared/auth/authz.ts'
import { wallTitleOf } from '../../shared/setup/empty.ts'
import { BasemapResponse, CatalogResponse, ReferenceResponse, TerritoryResponse } from '../../shared/territory/schema.ts'
import { basemapGeoJSON, territoryGeoJSON } from './geojson.ts'

/** One answer per reference version: built when first asked after a package is applied, then served as is. */
function perVersion<T>(ctx: AppContext, build: () => T): () => T {
  let held: { version: number, value: T } | null = null
  return () => {
    if (held?.version !== ctx.live.version)
      held = { version: ctx.live.version, value: build() }
    return held.value
  }
}

/** The reference data every screen loads, and loads again when a `reference` change arrives. */
export const territoryRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const territory = perVersion(ctx, () => {
    const pkg = ctx.live.pkg
    const subdistrict = { ...pkg.reference.territory.subdistrict, wallTitle: wallTitleOf(pkg), wallTitleEn: wallTitleOf(pkg, 'en') }
    return { version: ctx.live.version, subdistrict, ...territoryGeoJSON(pkg.reference) }
  })
  const basemap = basemapGeoJSON()
  const full = perVersion(ctx, () => ({ version: ctx.live.version, org: ctx.reference.org, facilities: ctx.reference.facilities, headline: ctx.live.pkg.headline, duplicates: ctx.live.pkg.duplicates }))
  // Staff mobile numbers go to the desks that dispatch people, never to walls, leaders, links or keys.
  const withoutPhones = perVersion(ctx, () => {
    const f = full()
    return { ...f, org: { ...f.org, people: f.org.people.map(({ phone: _, ...p }) => p) } }
  })
  const reference = { config: { read: 'reference' as const } }

  app.get('/api/territory', { ...reference, schema: { response: { 200: TerritoryResponse } } }, async () => territory())
  app.get('/api/basemap', { ...reference, schema: { response: { 200: BasemapResponse } } }, async () => basemap)
  app.get('/api/catalog', { ...reference, schema: { response: { 200: CatalogResponse } } }, async () => ctx.catalog as unknown as Static<typeof CatalogResponse>)
  app.get('/api/reference', { schema: { response: { 200: ReferenceResponse } } }, async req =>
    authorizeRead(req.principal!, 'staffPhones').allow ? full() : withoutPhones())
}
