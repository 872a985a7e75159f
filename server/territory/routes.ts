import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import type { AppContext } from '../context.ts'
import { authorizeRead } from '../../shared/auth/authz.ts'
import { BasemapResponse, CatalogResponse, ReferenceResponse, TerritoryResponse } from '../../shared/territory/schema.ts'
import { basemapGeoJSON, territoryGeoJSON } from './geojson.ts'

/** The static reference data every screen loads once: territory, basemap, catalog, organisation, facilities. */
export const territoryRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const territory = { subdistrict: ctx.reference.territory.subdistrict, ...territoryGeoJSON(ctx.reference) }
  const basemap = basemapGeoJSON()
  const full = { org: ctx.reference.org, facilities: ctx.reference.facilities }
  // Staff mobile numbers go to the desks that dispatch people, never to walls, leaders, links or keys.
  const withoutPhones = { org: { ...full.org, people: full.org.people.map(({ phone: _, ...p }) => p) }, facilities: full.facilities }
  const reference = { config: { read: 'reference' as const } }

  app.get('/api/territory', { ...reference, schema: { response: { 200: TerritoryResponse } } }, async () => territory)
  app.get('/api/basemap', { ...reference, schema: { response: { 200: BasemapResponse } } }, async () => basemap)
  app.get('/api/catalog', { ...reference, schema: { response: { 200: CatalogResponse } } }, async () => ctx.catalog as unknown as Static<typeof CatalogResponse>)
  app.get('/api/reference', { schema: { response: { 200: ReferenceResponse } } }, async req =>
    authorizeRead(req.principal!, 'staffPhones').allow ? full : withoutPhones)
}
