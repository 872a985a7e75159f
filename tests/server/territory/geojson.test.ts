import { describe, expect, it } from 'vitest'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'
import { basemapGeoJSON, demoOutlineGeoJSON, territoryGeoJSON } from '../../../server/territory/geojson.ts'

const ref = buildCuntanReference()

describe('territoryGeoJSON', () => {
  it('gives one polygon feature per grid with a numeric id and the domain id in properties', () => {
    const { grids, communities } = territoryGeoJSON(ref)
    expect(grids.features).toHaveLength(127)
    expect(communities.features).toHaveLength(8)
    grids.features.forEach((f, i) => {
      const grid = ref.territory.grids[i]!
      expect(f.id).toBe(i)
      expect(f.geometry).toEqual({ type: 'Polygon', coordinates: grid.polygon })
      expect(f.properties).toMatchObject({ id: grid.id, name: grid.name, communityId: grid.communityId, riskTags: grid.riskTags })
    })
    expect(communities.features.map(f => f.properties?.name)).toContain('兰溪社区')
  })

  it('marks the subdistrict outline as demo geometry', () => {
    const [outline] = demoOutlineGeoJSON(ref).features
    expect(outline?.properties).toMatchObject({ id: 'cuntan', demo: true, nameEn: 'Cuntan (demo geometry)' })
  })
})

describe('basemapGeoJSON', () => {
  it('loads Jiangbei and both rivers from the copies next to the module, as fresh objects', () => {
    const first = basemapGeoJSON()
    expect(first.district.features[0]?.properties).toMatchObject({ adcode: '500105', name: '江北区' })
    expect(first.rivers.features.map(f => String(f.properties?.name).slice(0, 2))).toEqual(['长江', '嘉陵'])
    first.district.features.length = 0
    expect(basemapGeoJSON().district.features).toHaveLength(1)
  })
})
