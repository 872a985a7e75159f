import { describe, expect, it } from 'vitest'
import { readPackage, writePackage } from '../../../server/setup/codec/index.ts'
import { buildCuntanPackage } from '../../../server/territory/cuntan/package.ts'

// A package may carry its own possible-duplicate thresholds (duplicates.json, optional; docs/duplicates.md).

describe('duplicates.json in a subdistrict package', () => {
  it('is read back as written, and left out when the package sets nothing', async () => {
    const built = { ...buildCuntanPackage(), duplicates: { meters: 500, hours: 72, related: [['waterlogging', 'sewage_overflow', 'missing_manhole']] } }
    const files = await writePackage(built, { tabular: 'csv' })
    expect(files.map(f => f.name)).toContain('duplicates.json')
    const { pkg, problems } = await readPackage(files)
    expect(problems).toEqual([])
    expect(pkg?.duplicates).toEqual(built.duplicates)
    expect((await writePackage(buildCuntanPackage(), { tabular: 'csv' })).map(f => f.name)).not.toContain('duplicates.json')
  })

  it('refuses a file of the wrong shape, naming the field', async () => {
    const files = (await writePackage(buildCuntanPackage(), { tabular: 'csv' })).concat({ name: 'duplicates.json', data: Buffer.from('{"meters":"far"}') })
    const { pkg, problems } = await readPackage(files)
    expect(pkg).toBeNull()
    expect(problems.map(p => [p.file, p.code, p.column])).toEqual([['duplicates.json', 'bad_value', 'meters']])
  })
})
