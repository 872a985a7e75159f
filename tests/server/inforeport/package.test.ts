import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { readPackage, writePackage } from '../../../server/setup/codec/index.ts'
import { buildCuntanPackage } from '../../../server/territory/cuntan/package.ts'

// A package may set the information reports' deadlines (inforeports.json, optional; docs/inforeport.md).

describe('inforeports.json in a subdistrict package', () => {
  it('goes out and comes back with the package, per plan too', async () => {
    const built = { ...buildCuntanPackage(), inforeports: { followUpMinutes: 60, plans: { 'rainstorm-red': { initialMinutes: 20 } } } }
    const { pkg, problems } = await readPackage(await writePackage(built, { tabular: 'csv' }))
    expect(problems).toEqual([])
    expect(pkg?.inforeports).toEqual(built.inforeports)
  })

  it('refuses a deadline off the format, naming the value', async () => {
    const files = (await writePackage(buildCuntanPackage(), { tabular: 'csv' })).concat({ name: 'inforeports.json', data: Buffer.from('{"plans":{"rainstorm-red":{"followUpMinutes":1}}}') })
    const { pkg, problems } = await readPackage(files)
    expect(pkg).toBeNull()
    expect(problems.map(p => [p.file, p.code, p.column])).toEqual([['inforeports.json', 'bad_value', 'plans.rainstorm-red.followUpMinutes']])
  })
})
