// `npx tsx scripts/export-cuntan.ts` — writes the Cuntan demo as a subdistrict package (server/setup/packages/cuntan/).
// The files are committed; the demo loads them through readPackage, and a test checks they still match the code.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writePackage } from '../server/setup/codec/index.ts'
import { buildCuntanPackage } from '../server/territory/cuntan/package.ts'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../server/setup/packages/cuntan')
await rm(dir, { recursive: true, force: true })
await mkdir(dir, { recursive: true })
for (const f of await writePackage(buildCuntanPackage()))
  await writeFile(path.join(dir, f.name), f.data)
console.log(`wrote ${dir}`)
