import type { PackageFile } from '../../../server/setup/codec/index.ts'
import type { PackageProblem, SubdistrictPackage } from '../../../shared/setup/package.ts'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { buildJialingPackage } from '../../../scripts/make-jialing.ts'
import { readPackage, writePackage } from '../../../server/setup/codec/index.ts'

// Packages to break: the Jialing fixture as an object or as files, and small edits of one file.

export const jialing = (): SubdistrictPackage => buildJialingPackage()

export function folder(dir: string): PackageFile[] {
  return readdirSync(dir).map(name => ({ name, data: readFileSync(path.join(dir, name)) }))
}

export async function problemsOf(files: PackageFile[] | Promise<PackageFile[]>): Promise<PackageProblem[]> {
  const { pkg, problems } = await readPackage(await files)
  if (pkg !== null)
    throw new Error('expected the package to be refused')
  return problems
}

/** Writes a (broken) package and reads it back: the problems found. */
export async function problemsAfter(edit: (pkg: SubdistrictPackage) => void, tabular: 'xlsx' | 'csv' = 'xlsx'): Promise<PackageProblem[]> {
  const pkg = jialing()
  edit(pkg)
  return problemsOf(writePackage(pkg, { tabular }))
}

export function replaceFile(files: PackageFile[], name: string, edit: (text: string) => string): PackageFile[] {
  return files.map(f => (f.name === name ? { name, data: Buffer.from(edit(f.data.toString('utf8')), 'utf8') } : f))
}

/** Edits one sheet of the workbook through exceljs. */
export async function editSheet(files: PackageFile[], sheet: string, edit: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<PackageFile[]> {
  const f = files.find(x => x.name === 'subdistrict.xlsx')!
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(f.data as unknown as ArrayBuffer)
  edit(wb.getWorksheet(sheet)!, wb)
  const data = Buffer.from(await wb.xlsx.writeBuffer())
  return files.map(x => (x === f ? { name: x.name, data } : x))
}

/** Just the fields a test compares. */
export function where(p: PackageProblem): Omit<PackageProblem, 'reason' | 'reasonEn'> {
  const { reason: _r, reasonEn: _e, ...rest } = p
  return rest
}
