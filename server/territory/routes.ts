import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import type { AppContext } from '../context.ts'
import { Health } from '../../shared/http/schema.ts'
import { BasemapResponse, CatalogResponse, ReferenceResponse, TerritoryResponse } from '../../shared/territory/schema.ts'
import { basemapGeoJSON, territoryGeoJSON } from './geojson.ts'

/** Health and the static reference data every screen loads once. */
export const metaRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const started = Date.now()
  const territory = { subdistrict: ctx.reference.territory.subdistrict, ...territoryGeoJSON(ctx.reference) }
  const basemap = basemapGeoJSON()

  app.get('/api/health', { schema: { response: { 200: Health } } }, async () => ({
    ok: true,
    seq: await ctx.store.head(),
    demo: ctx.config.demo,
    store: ctx.store.dialect,
    uptimeSeconds: (Date.now() - started) / 1000,
  }))

  app.get('/api/territory', { schema: { response: { 200: TerritoryResponse } } }, async () => territory)
  app.get('/api/basemap', { schema: { response: { 200: BasemapResponse } } }, async () => basemap)
  app.get('/api/catalog', { schema: { response: { 200: CatalogResponse } } }, async () => ctx.catalog as unknown as Static<typeof CatalogResponse>)
  app.get('/api/reference', { schema: { response: { 200: ReferenceResponse } } }, async () => ({ org: ctx.reference.org, facilities: ctx.reference.facilities }))
}
