import type { Static } from 'typebox'
import type { PackageProblem, SourceCrs } from '../../../shared/setup/package.ts'
import type { DryRunT, ReferenceVersion } from '../../../shared/setup/schema.ts'
import { shallowRef } from 'vue'
import { HttpError, sendJson } from '../../ui/http.ts'

type DryRun = Static<typeof DryRunT>

/** A file's bytes as base64, in chunks (a large workbook would overflow one String.fromCharCode call). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

/**
 * Importing a subdistrict package from the files the admin chose: a dry run first (the problems, or what would
 * change and which open incidents it touches), then apply against the version the dry run saw.
 */
export function usePackageImport(onApplied: (v: ReferenceVersion) => void) {
  const files = shallowRef<File[]>([])
  const crs = shallowRef<SourceCrs>('WGS84')
  const note = shallowRef('')
  const busy = shallowRef(false)
  const dryRun = shallowRef<DryRun | null>(null)
  const problems = shallowRef<PackageProblem[]>([])
  const error = shallowRef<string | null>(null)
  const applied = shallowRef<ReferenceVersion | null>(null)

  /** The chosen files encoded once: the dry run and the import send the same bytes. */
  let encoded: Promise<{ name: string, data: string }[]> | null = null
  async function body() {
    encoded ??= Promise.all(files.value.map(async f => ({ name: f.name, data: await base64Of(f) })))
    return { files: await encoded, crs: crs.value }
  }

  function choose(list: FileList | null): void {
    files.value = list ? [...list] : []
    encoded = null
    dryRun.value = null
    problems.value = []
    applied.value = null
    error.value = null
  }

  async function run<T>(fn: () => Promise<T>): Promise<T | null> {
    busy.value = true
    error.value = null
    try {
      return await fn()
    }
    catch (err) {
      const b = err instanceof HttpError ? err.body as { problems?: PackageProblem[] } | null : null
      if (b?.problems)
        problems.value = b.problems
      error.value = err instanceof Error ? err.message : String(err)
      return null
    }
    finally {
      busy.value = false
    }
  }

  async function check(): Promise<void> {
    applied.value = null
    const res = await run(async () => sendJson<DryRun>('/api/setup/check', await body()))
    if (res) {
      dryRun.value = res
      problems.value = res.problems
    }
  }

  async function apply(): Promise<void> {
    const base = dryRun.value?.version
    const res = await run(async () => sendJson<ReferenceVersion>('/api/setup/apply', { ...await body(), note: note.value, baseVersion: base }))
    if (res) {
      applied.value = res
      dryRun.value = null
      onApplied(res)
    }
  }

  return { files, crs, note, busy, dryRun, problems, error, applied, choose, check, apply }
}
