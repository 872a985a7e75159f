import { describe, expect, it } from 'vitest'
import { readPackage, writePackage } from '../../../server/setup/codec/index.ts'
import { loadCuntanPackage } from '../../../server/setup/packages.ts'
import { jialing, problemsOf, replaceFile } from '../setup/helpers.ts'

// sensors.json on import: Cuntan's ships one; a bad station is refused and named by its row and id.

function station(over: Record<string, unknown> = {}) {
  return {
    id: 'st-1',
    name: '测试积水点',
    kind: 'ponding',
    location: { lon: 106.5, lat: 29.5 },
    gridIds: [jialing().reference.territory.grids[0]!.id],
    hazard: 'rainstorm',
    thresholds: [{ level: 'yellow', value: 20 }, { level: 'orange', value: 30 }],
    ...over,
  }
}
const withSensors = async (stations: unknown) => [...await writePackage(jialing()), { name: 'sensors.json', data: Buffer.from(JSON.stringify(stations)) }]

describe('sensors.json in the package', () => {
  it('carries Cuntan\'s 寸滩 station with the published warning and guaranteed levels', async () => {
    const pkg = await loadCuntanPackage()
    const cuntan = pkg.sensors?.find(s => s.id === 'cuntan-hydro')
    expect(cuntan?.kind).toBe('water_level')
    expect(cuntan?.thresholds.find(t => t.label === '警戒水位')?.value).toBe(180.5)
    expect(cuntan?.thresholds.find(t => t.label === '保证水位')?.value).toBe(183.5)
    expect(pkg.sensors!.filter(s => s.kind === 'ponding').length).toBeGreaterThanOrEqual(1)
  })

  it('reads a good file and writes it back the same', async () => {
    const { pkg, problems } = await readPackage(await withSensors([station()]))
    expect(problems).toEqual([])
    expect(pkg?.sensors?.map(s => s.id)).toEqual(['st-1'])
    const again = await readPackage(await writePackage(pkg!))
    expect(again.pkg?.sensors).toEqual(pkg!.sensors)
  })

  it('names the row and id of a station whose thresholds fall with the level', async () => {
    const problems = await problemsOf(withSensors([station(), station({ id: 'st-2', thresholds: [{ level: 'yellow', value: 30 }, { level: 'orange', value: 20 }] })]))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ file: 'sensors.json', row: 2, id: 'st-2', column: 'thresholds', code: 'bad_value' })
    expect(problems[0]!.reasonEn).toMatch(/orange \(20\) must be above yellow \(30\)/)
  })

  it('names an unknown grid, a duplicate id and a bad kind', async () => {
    const problems = await problemsOf(withSensors([station(), station({ gridIds: ['g-nowhere'] }), station({ id: 'st-3', kind: 'wind_speed' })]))
    expect(problems.map(p => [p.row, p.id, p.code, p.column])).toEqual([
      [2, 'st-1', 'duplicate_code', 'id'],
      [2, 'st-1', 'unknown_reference', 'gridIds'],
      [3, 'st-3', 'bad_value', 'kind'],
    ])
  })

  it('refuses a file that is not an array of stations', async () => {
    const files = replaceFile(await withSensors([]), 'sensors.json', () => '{"stations": []}')
    expect((await problemsOf(files)).map(p => p.code)).toEqual(['bad_value'])
  })

  it('is optional: a package without it reads, with no stations', async () => {
    const { pkg, problems } = await readPackage(await writePackage(jialing()))
    expect(problems).toEqual([])
    expect(pkg?.sensors).toBeUndefined()
  })
})
