import { describe, expect, it } from 'vitest'
import { writePackage } from '../../../server/setup/codec/index.ts'
import { editSheet, jialing, problemsAfter, problemsOf, where } from './helpers.ts'

// A package whose files read cleanly but whose records do not fit together: each problem lands on its row.

const XLSX = 'subdistrict.xlsx'

describe('duplicate codes', () => {
  it('names the second grid with a code already used', async () => {
    const problems = await problemsAfter(p => p.reference.territory.grids[3]!.id = 'jl-binjiang-3')
    expect(problems.map(where)).toContainEqual({ file: 'grids.geojson', row: 4, column: 'code', id: 'jl-binjiang-3', code: 'duplicate_code' })
  })

  it('names a duplicate person, category, plan and facility', async () => {
    const problems = await problemsAfter((p) => {
      p.reference.org.people[3]!.id = 'jl-op-2'
      p.categories[6]!.code = 'illegal_parking'
      p.plans[1]!.id = 'jl-flood'
      p.reference.facilities.shelters[0]!.id = 'jl-st-1'
    })
    const dups = problems.filter(x => x.code === 'duplicate_code').map(where)
    expect(dups).toEqual([
      { file: XLSX, sheet: '人员', row: 5, column: '编号', id: 'jl-op-2', code: 'duplicate_code' },
      { file: 'facilities.geojson', row: 12, column: 'code', id: 'jl-st-1', code: 'duplicate_code' },
      { file: XLSX, sheet: '事项类别', row: 8, column: '编码', id: 'illegal_parking', code: 'duplicate_code' },
      { file: 'plans.json', row: 2, column: 'id', id: 'jl-flood', code: 'duplicate_code' },
    ])
  })
})

describe('unknown references', () => {
  it('names a grid in an unknown community', async () => {
    const problems = await problemsAfter(p => p.reference.territory.grids[5]!.communityId = 'cm-nowhere')
    expect(problems.map(where)).toEqual([{ file: 'grids.geojson', row: 6, column: 'community', id: 'jl-xishan-1', code: 'unknown_reference' }])
  })

  it('names a post in an unknown sector', async () => {
    const problems = await problemsAfter(p => p.reference.org.posts[2]!.sectorId = 'culture')
    expect(problems.map(where)).toContainEqual({ file: XLSX, sheet: '岗位', row: 4, column: '板块', id: 'svc_social', code: 'unknown_reference' })
  })

  it('names each unknown sector, post, community and force unit of a person', async () => {
    const problems = await problemsAfter((p) => {
      const person = p.reference.org.people[10]! // jl-ps-gov_law, row 12
      person.sectorId = 'culture'
      person.postId = 'no_post'
      person.communityId = 'cm-nowhere'
      person.forceUnitId = 'jl-fu-none'
    }, 'csv')
    expect(problems.map(where)).toEqual(['板块', '岗位', '社区', '力量单位'].map(column =>
      ({ file: '人员.csv', sheet: '人员', row: 12, column, id: 'jl-ps-gov_law', code: 'unknown_reference' })))
  })

  it('names a roster of an unknown grid and an unknown person in it', async () => {
    const problems = await problemsAfter((p) => {
      p.reference.org.rosters[4]!.instructorId = 'jl-gi-99'
      p.reference.org.rosters[17]!.gridId = 'jl-tongxin-9'
    })
    expect(problems.map(where)).toEqual([
      { file: XLSX, sheet: '网格力量', row: 6, column: '网格指导员', id: 'jl-binjiang-5', code: 'unknown_reference' },
      { file: XLSX, sheet: '网格力量', row: 19, column: '网格', id: 'jl-tongxin-9', code: 'unknown_reference' },
    ])
  })

  it('names a liaison of an unknown force kind', async () => {
    const problems = await problemsAfter(p => p.reference.org.rosters[1]!.liaisons[1]!.kind = 'police')
    // Grid 1 has three liaisons (rows 2–4), so grid 2's second is row 6.
    expect(problems.map(where)).toEqual([{ file: XLSX, sheet: '网格联络人', row: 6, column: '力量类别', id: 'jl-binjiang-2#2', code: 'unknown_reference' }])
  })

  it('names a facility in an unknown grid and a risk point of an unknown kind', async () => {
    const problems = await problemsAfter((p) => {
      p.reference.facilities.stations[2]!.gridId = 'jl-nowhere-1'
      p.reference.facilities.riskPoints[0]!.kind = 'sinkhole'
    })
    expect(problems.map(where)).toEqual([
      { file: 'facilities.geojson', row: 5, column: 'grid', id: 'jl-st-3', code: 'unknown_reference' },
      { file: 'facilities.geojson', row: 7, column: 'risk_kind', id: 'jl-rp-1', code: 'unknown_reference' },
    ])
  })

  it('names a category whose lead or helper post is unknown', async () => {
    const problems = await problemsAfter((p) => {
      const r = p.categories[3]!.responsibility
      if (r.type === 'cross')
        r.helpers[1]!.postId = 'no_post'
      p.categories[0]!.responsibility = { type: 'single', sectorId: 'governance', postId: 'gov_tax' }
    })
    expect(problems.map(where)).toEqual([
      { file: XLSX, sheet: '事项类别', row: 2, column: '牵头岗位', id: 'illegal_parking', code: 'unknown_reference' },
      { file: XLSX, sheet: '事项类别', row: 5, column: '协同岗位', id: 'waterlogging', code: 'unknown_reference' },
    ])
  })

  it('names a plan that reaches an unknown force kind, risk tag or community', async () => {
    const problems = await problemsAfter((p) => {
      const t = p.plans[0]!.templates[2]!
      t.forceKinds = ['volunteer_team', 'police']
      t.riskTags = ['karst']
      t.communityIds = ['cm-binjiang', 'cm-lost']
    })
    expect(problems.map(where)).toEqual([
      { file: 'plans.json', row: 1, column: 'templates[2].forceKinds', id: 'jl-flood', code: 'unknown_reference' },
      { file: 'plans.json', row: 1, column: 'templates[2].riskTags', id: 'jl-flood', code: 'unknown_reference' },
      { file: 'plans.json', row: 1, column: 'templates[2].communityIds', id: 'jl-flood', code: 'unknown_reference' },
    ])
  })

  it('names a headline category the package does not have', async () => {
    const problems = await problemsAfter(p => p.headline = ['petition_visit', 'noise'])
    expect(problems.map(where)).toEqual([{ file: XLSX, sheet: '街道', row: 13, column: '值', code: 'unknown_reference' }])
    expect(problems[0]!.reason).toBe('未知的事项类别：noise')
  })

  it('names a stock row of an unknown depot', async () => {
    const files = await editSheet(await writePackage(jialing()), '物资储备', ws => ws.getCell('A5').value = 'jl-dp-9')
    expect((await problemsOf(files)).map(where)).toEqual([{ file: XLSX, sheet: '物资储备', row: 5, column: '储备点', id: 'jl-dp-9', code: 'unknown_reference' }])
  })
})

describe('owners, roles and settings', () => {
  it('names a single-sector category without a lead post', async () => {
    const problems = await problemsAfter(p => p.categories[2]!.responsibility = { type: 'single', sectorId: '', postId: '' })
    expect(problems.map(where)).toEqual([{ file: XLSX, sheet: '事项类别', row: 4, column: '牵头岗位', id: 'property_complaint', code: 'no_owner' }])
  })

  it('names a roster place held by someone without the role it needs', async () => {
    const problems = await problemsAfter((p) => {
      p.reference.org.rosters[0]!.workerId = 'jl-fm-medical-1'
      p.reference.org.rosters[2]!.liaisons[0]!.personId = 'jl-gw-03'
    })
    expect(problems.map(where)).toEqual([
      { file: XLSX, sheet: '网格力量', row: 2, column: '网格员', id: 'jl-binjiang-1', code: 'role_missing' },
      { file: XLSX, sheet: '网格联络人', row: 7, column: '人员', id: 'jl-binjiang-3#1', code: 'role_missing' },
    ])
  })

  it('maps the catalog check: a weight that is not positive', async () => {
    const problems = await problemsAfter(p => p.categories[1]!.weight = 0)
    expect(problems.map(where)).toEqual([{ file: XLSX, sheet: '事项类别', row: 3, column: '权重', id: 'petition_visit', code: 'bad_value' }])
  })

  it('maps the scoring check: tiers out of order', async () => {
    const problems = await problemsAfter(p => p.scoring.tiers[1]!.min = 90)
    expect(problems.map(where)).toEqual([{ file: 'scoring.json', column: 'tiers', code: 'bad_scoring' }])
  })
})
