import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson'
import type { ReferenceData } from '../../shared/territory/types.ts'
import { chongqingRivers, jiangbeiDistrict } from './basemap.ts'
import { cellPolygon, OUTLINE } from './cuntan/outline.ts'

// GeoJSON for the map. Feature ids are numeric indexes because MapLibre's feature-state and
// GeoJSONSource.updateData diffs want numeric ids; the domain id travels in properties.

export interface TerritoryGeoJSON {
  communities: FeatureCollection<Polygon>
  grids: FeatureCollection<Polygon>
}

export function territoryGeoJSON(ref: ReferenceData): TerritoryGeoJSON {
  const { communities, grids } = ref.territory
  return {
    communities: {
      type: 'FeatureCollection',
      features: communities.map((c, i): Feature<Polygon> => ({
        type: 'Feature',
        id: i,
        properties: { id: c.id, name: c.name, nameEn: c.nameEn, communityId: c.id, riskTags: [] },
        geometry: { type: 'Polygon', coordinates: c.polygon },
      })),
    },
    grids: {
      type: 'FeatureCollection',
      features: grids.map((g, i): Feature<Polygon> => ({
        type: 'Feature',
        id: i,
        properties: { id: g.id, name: g.name, communityId: g.communityId, riskTags: g.riskTags, households: g.households },
        geometry: { type: 'Polygon', coordinates: g.polygon },
      })),
    },
  }
}

export interface BasemapGeoJSON {
  district: FeatureCollection<Polygon | MultiPolygon>
  rivers: FeatureCollection<LineString | MultiLineString>
}

/** Context layers for an offline map: Jiangbei's outline and the two rivers (copies; callers may mutate). */
export function basemapGeoJSON(): BasemapGeoJSON {
  return { district: structuredClone(jiangbeiDistrict()), rivers: structuredClone(chongqingRivers()) }
}

/** The demo subdistrict outline (the union of its communities); Subdistrict in ReferenceData has no polygon. */
export function demoOutlineGeoJSON(ref: ReferenceData): FeatureCollection<Polygon> {
  const { id, name, nameEn } = ref.territory.subdistrict
  return {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', id: 0, properties: { id, name, nameEn, demo: true }, geometry: { type: 'Polygon', coordinates: cellPolygon(OUTLINE) } }],
  }
}
