import type { SubdistrictPackage } from '../../shared/setup/package.ts'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readPackage, writePackage } from './codec/index.ts'

// The packages shipped with OneScreen: Cuntan's, the demo and the template a new subdistrict starts from. It is
// read from its files through the same import every subdistrict uses.

const CUNTAN_DIR = join(import.meta.dirname, 'packages', 'cuntan')

let cuntan: Promise<SubdistrictPackage> | null = null

/**
 * Cuntan's package, read once per process from its files (and refused loudly if they do not validate). Each caller
 * gets its own copy: a context that changes its reference in place (a person's phone, a grid's name) changes no other.
 */
export async function loadCuntanPackage(): Promise<SubdistrictPackage> {
  return structuredClone(await cuntanOnce())
}

function cuntanOnce(): Promise<SubdistrictPackage> {
  cuntan ??= (async () => {
    const files = readdirSync(CUNTAN_DIR).sort().map(name => ({ name, data: readFileSync(join(CUNTAN_DIR, name)) }))
    const { pkg, problems } = await readPackage(files, {})
    if (!pkg)
      throw new Error(`the Cuntan package in ${CUNTAN_DIR} does not validate: ${problems.slice(0, 3).map(p => `${p.file} ${p.row ?? ''} ${p.reasonEn}`).join('; ')}`)
    return pkg
  })()
  return cuntan
}

const templates = new Map<string, Promise<{ name: string, data: Buffer }[]>>()

/** The template's files: Cuntan's package written as XLSX or CSV (with the GeoJSON, plans and scoring files). */
export function cuntanPackageFiles(tabular: 'xlsx' | 'csv'): Promise<{ name: string, data: Buffer }[]> {
  let held = templates.get(tabular)
  if (!held) {
    held = cuntanOnce().then(pkg => writePackage(pkg, { tabular }))
    templates.set(tabular, held)
  }
  return held
}
