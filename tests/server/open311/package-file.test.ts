import { describe, expect, it } from 'vitest'
import { OPEN311_FILE } from '../../../server/open311/package-file.ts'
import { readPackage, writePackage } from '../../../server/setup/codec/index.ts'
import { jialing, replaceFile } from '../setup/helpers.ts'
import { ATTRIBUTES } from './helpers.ts'

// open311.json in a subdistrict package: the service definitions travel with the categories, both ways.

function withDefinitions() {
  const pkg = jialing()
  pkg.categories[0] = { ...pkg.categories[0]!, attributes: ATTRIBUTES }
  return pkg
}

describe('open311.json in a package', () => {
  it('is written only when a category has attributes, and read back onto it', async () => {
    expect((await writePackage(jialing())).map(f => f.name)).not.toContain(OPEN311_FILE)
    const pkg = withDefinitions()
    const files = await writePackage(pkg, { tabular: 'csv' })
    expect(files.map(f => f.name)).toContain(OPEN311_FILE)
    const read = await readPackage(files)
    expect(read.problems).toEqual([])
    expect(read.pkg).toStrictEqual(pkg)
  })

  it('names a code that is no category, and a definition that breaks the format', async () => {
    const files = await writePackage(withDefinitions())
    const code = withDefinitions().categories[0]!.code
    const unknown = await readPackage(replaceFile(files, OPEN311_FILE, text => text.replace(`"${code}"`, '"no_such_category"')))
    expect(unknown.pkg).toBeNull()
    expect(unknown.problems).toContainEqual(expect.objectContaining({ file: OPEN311_FILE, id: 'no_such_category', reasonEn: 'unknown category no_such_category' }))
    const broken = await readPackage(replaceFile(files, OPEN311_FILE, text => text.replace('"singlevaluelist"', '"colour"')))
    expect(broken.pkg).toBeNull()
    expect(broken.problems.some(p => p.file === OPEN311_FILE && p.reasonEn.includes('datatype'))).toBe(true)
  })

  it('refuses a list attribute without values through the catalog check', async () => {
    const pkg = jialing()
    pkg.categories[0] = { ...pkg.categories[0]!, attributes: [{ code: 'KIND', datatype: 'singlevaluelist', required: true, description: '类型', order: 1 }] }
    const read = await readPackage(await writePackage(pkg))
    expect(read.pkg).toBeNull()
    expect(read.problems.map(p => p.reasonEn)).toContain(`category ${pkg.categories[0]!.code}: attribute KIND is a singlevaluelist without values`)
  })
})
