import type { Result } from '../../shared/kernel/result.ts'
import type { BasemapBody, BasemapFile, BasemapSetting, TileFormat } from '../../shared/territory/basemap.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { Store } from '../db/store.ts'
import type { Tile, TileArchive } from './tile-archive.ts'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { basemapOrigin, basemapProblem, BUNDLED_BASEMAP } from '../../shared/territory/basemap.ts'
import { entity } from '../db/store.ts'
import { openMbtiles } from './mbtiles.ts'
import { openPmtiles } from './pmtiles.ts'

export interface BasemapDeps { store: Store, audit: Audit, dataDir: string, now: () => Date }

/** What the tile route answers: no package configured, no tile there, or the tile with its format. */
export type TileAnswer = { found: 'no-package', reason: string } | { found: 'none' } | { found: 'tile', tile: Tile, format: TileFormat }

const isPackage = (name: string) => /\.(?:pmtiles|mbtiles)$/i.test(name)
const kindOf = (name: string): 'pmtiles' | 'mbtiles' => name.toLowerCase().endsWith('.pmtiles') ? 'pmtiles' : 'mbtiles'

function openArchive(file: string): Promise<TileArchive> {
  return kindOf(file) === 'pmtiles' ? openPmtiles(file) : Promise.resolve().then(() => openMbtiles(file))
}

/**
 * The basemap setting (one versioned `basemap` entity in the change log, the bundled outline until an admin saves
 * one) and the offline package it names. The current setting is held in memory, refreshed by every commit, so
 * the CSP of each response and each tile request read it without a query.
 */
export function createBasemapService(deps: BasemapDeps) {
  const maps = join(deps.dataDir, 'maps')
  let current: BasemapSetting = BUNDLED_BASEMAP
  let opened: { name: string, archive: Promise<TileArchive> } | null = null
  /** The package the admin's preview shows before it is saved (one at a time). */
  let previewed: { name: string, archive: Promise<TileArchive> } | null = null

  function follow(next: BasemapSetting): void {
    current = next
    if (opened && (next.kind === 'bundled' || next.source !== opened.name || next.kind !== kindOf(opened.name))) {
      const { archive } = opened
      opened = null
      void archive.then(a => a.close()).catch(() => {})
    }
  }
  deps.store.onCommit((changes) => {
    for (const c of changes) {
      if (c.kind === 'basemap')
        follow(c.data)
    }
  })

  function archive(): Promise<TileArchive> | null {
    if (current.kind !== 'pmtiles' && current.kind !== 'mbtiles')
      return null
    if (!opened || opened.name !== current.source) {
      const name = current.source
      const promise = openArchive(join(maps, name))
      // A package that cannot be opened is tried again on the next request (the admin may have replaced it).
      promise.catch(() => {
        if (opened?.archive === promise)
          opened = null
      })
      opened = { name, archive: promise }
    }
    return opened.archive
  }

  async function describe(name: string): Promise<BasemapFile> {
    const size = (await stat(join(maps, name))).size
    const base = { name, kind: kindOf(name), size, format: 'unknown' as const, bounds: null, minZoom: null, maxZoom: null, title: '' }
    try {
      const a = await openArchive(join(maps, name))
      await a.close()
      return { ...base, ...a.info, problem: null }
    }
    catch (err) {
      return { ...base, problem: err instanceof Error ? err.message : String(err) }
    }
  }

  return {
    /** Reads the stored setting; call once before serving. */
    async load(): Promise<void> {
      follow(await deps.store.getEntity('basemap', 'basemap') ?? BUNDLED_BASEMAP)
    },
    current: (): BasemapSetting => current,
    /** The origins the browser fetches tiles from under the current setting (for the CSP). */
    origins(): string[] {
      const o = basemapOrigin(current)
      return o ? [o] : []
    },

    /** The offline packages in `<dataDir>/maps/` (admin). */
    async files(call: Call): Promise<Result<BasemapFile[]>> {
      const g = await deps.audit.guard(call, 'basemap:edit', null, { action: 'basemap:files' })
      if (!g.ok)
        return g
      const names = await readdir(maps, { withFileTypes: true }).catch(() => [])
      const files = names.filter(d => d.isFile() && isPackage(d.name)).map(d => d.name).sort()
      return succeed(await Promise.all(files.map(describe)))
    },

    /** Saves a new setting (admin): refused when invalid, or when `version` is not the current one (409). */
    async update(call: Call, body: BasemapBody): Promise<Result<BasemapSetting>> {
      const g = await deps.audit.guard(call, 'basemap:edit', 'basemap')
      if (!g.ok)
        return g
      const problem = basemapProblem(body)
      if (problem)
        return fail('invalid', problem.message, problem.field)
      if (body.version !== current.version)
        return fail('conflict', `the basemap was changed meanwhile (version ${current.version}): load it again`, 'version')
      let tileType = body.tileType
      if (body.kind === 'pmtiles' || body.kind === 'mbtiles') {
        const found = await stat(join(maps, body.source)).then(s => s.isFile(), () => false)
        if (!found)
          return fail('invalid', `source ${body.source} is not in the maps folder`, 'source')
        const file = await describe(body.source)
        if (file.problem)
          return fail('invalid', `source ${body.source} cannot be read: ${file.problem}`, 'source')
        tileType = file.format === 'pbf' ? 'vector' : 'raster'
      }
      const at = deps.now().toISOString()
      const stored = await deps.store.getEntity('basemap', 'basemap')
      const next: BasemapSetting = { ...body, id: 'basemap', tileType, version: current.version + 1, updatedAt: at }
      // Until the first save the bundled default is not stored: it becomes version 1 in the same commit.
      const mutations = stored ? [] : [entity('basemap', { ...BUNDLED_BASEMAP, updatedAt: at }, 'create', at)]
      await deps.store.commit({ mutations: [...mutations, entity('basemap', next, 'update', at)], audit: g.audit })
      return succeed(next)
    },

    /**
     * A tile of the configured offline package (XYZ addressing), or, for the admin's preview, of the package
     * `file` in the maps folder (the caller must hold basemap:edit).
     */
    async tile(z: number, x: number, y: number, preview?: { call: Call, file: string }): Promise<Result<TileAnswer>> {
      let a = archive()
      if (preview) {
        const g = await deps.audit.guard(preview.call, 'basemap:edit', preview.file, { action: 'basemap:preview' })
        if (!g.ok)
          return g
        const problem = basemapProblem({ kind: kindOf(preview.file), source: preview.file, minZoom: 0, maxZoom: 0 })
        if (problem)
          return fail('invalid', problem.message, 'file')
        if (previewed?.name !== preview.file) {
          const before = previewed
          previewed = { name: preview.file, archive: openArchive(join(maps, preview.file)) }
          void before?.archive.then(x => x.close()).catch(() => {})
        }
        a = previewed.archive
      }
      if (!a)
        return succeed({ found: 'no-package', reason: 'no offline map package is configured' })
      if (x >= 2 ** z || y >= 2 ** z)
        return succeed({ found: 'none' })
      let opened: TileArchive
      try {
        opened = await a
      }
      catch (err) {
        return succeed({ found: 'no-package', reason: `the map package cannot be read: ${err instanceof Error ? err.message : String(err)}` })
      }
      const tile = await opened.tile(z, x, y)
      return succeed(tile ? { found: 'tile', tile, format: opened.info.format } : { found: 'none' })
    },

    async close(): Promise<void> {
      const all = [opened?.archive, previewed?.archive]
      opened = null
      previewed = null
      await Promise.all(all.map(a => a?.then(x => x.close()).catch(() => {})))
    },
  }
}

export type BasemapService = ReturnType<typeof createBasemapService>
