import type { Incident } from '../../shared/incident/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { PackageDiff, PackagePlan, PackageProblem, SubdistrictPackage } from '../../shared/setup/package.ts'
import type { ReferenceVersion } from '../../shared/setup/schema.ts'
import type { Plan } from '../../shared/wartime/schema.ts'
import type { Audit, Call } from '../audit/service.ts'
import type { AuditEntry } from '../db/auth-store.ts'
import type { Mutation, Store } from '../db/store.ts'
import type { LiveReference } from './live.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'
import { localParts } from '../../shared/kernel/time.ts'
import { calendarGaps } from '../../shared/kernel/workdays.ts'
import { diffPackages, isNoop, sameRecord } from '../../shared/setup/diff.ts'
import { createAudit } from '../audit/service.ts'
import { entity } from '../db/store.ts'
import { KeyedLock } from '../kernel/keyed-lock.ts'
import { createLiveReference } from './live.ts'

export interface SetupDeps {
  store: Store
  audit: Audit
  live: LiveReference
  now: () => Date
}

/** A package read from files: either the package or the row-level problems that stop it. */
export interface ReadResult { pkg: SubdistrictPackage | null, problems: PackageProblem[] }

export interface DryRun { problems: PackageProblem[], diff: PackageDiff | null, version: number }

interface ApplyOpts {
  source: ReferenceVersion['source']
  by: string | null
  note: string
  restored?: number
  audit?: AuditEntry
  /** An import: refused if another version came after its dry run, or if it changes nothing. */
  baseVersion?: number
  refuseNoop?: boolean
}

/**
 * The subdistrict's package: a dry run shows what would change, apply makes it the next version (one reference
 * change in the log, its plans as plan versions, in one transaction), rollback applies an earlier version again.
 * Every screen follows the `reference` change live; the live holder is swapped when the commit is durable.
 */
export function createSetupService(deps: SetupDeps) {
  const lock = new KeyedLock()
  /** Versions this process is committing: its own commit is put in force from memory, not read back. */
  const committing = new Map<number, SubdistrictPackage>()
  // Every version committed, here or by another process on the same store, is put in force as the log reports it.
  deps.store.onCommit((changes) => {
    for (const c of changes) {
      if (c.kind !== 'reference' || c.data.version <= deps.live.version)
        continue
      const own = committing.get(c.data.version)
      if (own)
        deps.live.set(c.data.version, own)
      else
        void deps.store.getPackage(c.data.version).then(p => p && deps.live.set(p.version, p.pkg))
    }
  })
  const openIncidents = async (): Promise<Incident[]> => (await deps.store.listLive(deps.now().toISOString())).filter(i => i.closedAt === null)

  async function planMutations(plans: PackagePlan[], at: string): Promise<Mutation[]> {
    const current = new Map((await deps.store.listEntities('plan')).map(p => [p.id, p]))
    const out: Mutation[] = []
    for (const p of plans) {
      const old = current.get(p.id)
      const { version: _v, updatedAt: _u, retired: _r, ...was } = old ?? ({} as Plan)
      if (old && !old.retired && sameRecord(was, p))
        continue
      out.push(entity('plan', { ...p, version: (old?.version ?? 0) + 1, updatedAt: at }, old ? 'edit' : 'create', at))
    }
    const kept = new Set(plans.map(p => p.id))
    for (const old of current.values()) {
      if (!kept.has(old.id) && !old.retired)
        out.push(entity('plan', { ...old, retired: true, version: old.version + 1, updatedAt: at }, 'retire', at))
    }
    return out
  }

  /**
   * The next version, under the lock: an import's conditions (no version since its dry run, something to change) are
   * checked against the version in force there, and the diff for the summary is computed once.
   */
  async function commitPackage(pkg: SubdistrictPackage, opts: ApplyOpts): Promise<Result<ReferenceVersion>> {
    return lock.run('reference', async () => {
      if (opts.baseVersion !== undefined && opts.baseVersion !== deps.live.version)
        return fail('conflict', `version ${deps.live.version} was applied after the dry run of version ${opts.baseVersion}: check again`, 'baseVersion')
      const diff = diffPackages(deps.live.pkg, pkg, [])
      if (opts.refuseNoop && deps.live.version > 0 && isNoop(diff))
        return fail('conflict', 'the package is the one in force: nothing to apply', 'files')
      const at = deps.now().toISOString()
      const version: ReferenceVersion = {
        id: 'current',
        version: deps.live.version + 1,
        appliedAt: at,
        appliedBy: opts.by,
        source: opts.source,
        ...(opts.restored === undefined ? {} : { restored: opts.restored }),
        name: pkg.reference.territory.subdistrict.name,
        note: opts.note.slice(0, 500),
        summary: diff.sections.map(s => ({ section: s.section, added: s.added.length, changed: s.changed.length, removed: s.removed.length })),
      }
      const mutations: Mutation[] = [{ ...entity('reference', version, opts.source, at), blob: JSON.stringify(pkg) }, ...await planMutations(pkg.plans, at)]
      committing.set(version.version, pkg)
      try {
        await deps.store.commit({ mutations, audit: opts.audit })
      }
      finally {
        committing.delete(version.version)
      }
      return succeed(version, { created: true })
    })
  }

  return {
    /** What the setup page shows first: is a package in force, which one. */
    status() {
      const s = deps.live.reference.territory.subdistrict
      const year = localParts(deps.now()).year
      return { version: deps.live.version, configured: deps.live.version > 0, name: s.name, code: s.code, calendarGaps: calendarGaps(year, year + 1, deps.live.pkg.calendar) }
    },

    /** The dry run: the problems, or what applying would change and which open incidents it affects. */
    async check(call: Call, read: ReadResult): Promise<Result<DryRun>> {
      const g = await deps.audit.guard(call, 'reference:edit', null, { action: 'reference:check' })
      if (!g.ok)
        return g
      if (!read.pkg)
        return succeed({ problems: read.problems, diff: null, version: deps.live.version })
      return succeed({ problems: [], diff: diffPackages(deps.live.pkg, read.pkg, await openIncidents()), version: deps.live.version })
    },

    /** Applies a package read from files, if it has no problems and nothing was applied since the dry run. */
    async apply(call: Call, read: ReadResult, opts: { note: string, baseVersion?: number }): Promise<Result<ReferenceVersion>> {
      const g = await deps.audit.guard(call, 'reference:edit', read.pkg?.reference.territory.subdistrict.code ?? null, { action: 'reference:apply' })
      if (!g.ok)
        return g
      if (!read.pkg)
        return fail('invalid', `the package has ${read.problems.length} problem(s): ${read.problems.slice(0, 3).map(p => `${p.file}${p.row ? ` row ${p.row}` : ''}: ${p.reasonEn}`).join('; ')}`, 'files')
      return commitPackage(read.pkg, { source: 'import', by: call.principal.name, note: opts.note, audit: g.audit, baseVersion: opts.baseVersion, refuseNoop: true })
    },

    /** An edit made in the console: the current package with one part replaced, as the next version. */
    async edit(call: Call, change: (pkg: SubdistrictPackage) => SubdistrictPackage, validate: (pkg: SubdistrictPackage) => PackageProblem[], note: string): Promise<Result<ReferenceVersion>> {
      const g = await deps.audit.guard(call, 'reference:edit', null, { action: 'reference:edit' })
      if (!g.ok)
        return g
      const next = change(structuredClone(deps.live.pkg))
      const problems = validate(next)
      if (problems.length)
        return fail('invalid', problems.map(p => p.reasonEn).join('; '), problems[0]!.column ?? 'body')
      return commitPackage(next, { source: 'edit', by: call.principal.name, note, audit: g.audit })
    },

    /** Applies an earlier version's package again, as the next version. */
    async rollback(call: Call, to: number): Promise<Result<ReferenceVersion>> {
      const g = await deps.audit.guard(call, 'reference:edit', String(to), { action: 'reference:rollback' })
      if (!g.ok)
        return g
      if (to === deps.live.version)
        return fail('conflict', `version ${to} is the one in force`, 'version')
      const stored = await deps.store.getPackage(to)
      if (!stored)
        return fail('not_found', `reference version ${to} does not exist`, 'version')
      return commitPackage(stored.pkg, { source: 'rollback', by: call.principal.name, note: `回滚到第 ${to} 版 rolled back to version ${to}`, restored: to, audit: g.audit })
    },

    /** The package of a version (the one in force by default), with the plans as they are now edited. */
    async packageOf(call: Call, version?: number): Promise<Result<SubdistrictPackage>> {
      const g = await deps.audit.guard(call, 'reference:export', version === undefined ? null : String(version), { action: 'reference:export', recordAllow: true })
      if (!g.ok)
        return g
      if (version === undefined || version === deps.live.version) {
        const plans = (await deps.store.listEntities('plan')).filter(p => !p.retired).map(({ version: _v, updatedAt: _u, retired: _r, ...p }) => p)
        return succeed({ ...deps.live.pkg, plans: plans.sort((a, b) => a.id.localeCompare(b.id)) })
      }
      const stored = await deps.store.getPackage(version)
      return stored ? succeed(stored.pkg) : fail('not_found', `reference version ${version} does not exist`, 'version')
    },

    history: () => deps.store.listReferenceVersions(),

    /** The first package of an install (the demo's, or a legacy store's reference carried over), applied by the system. */
    async seed(pkg: SubdistrictPackage, note: string): Promise<ReferenceVersion> {
      const res = await commitPackage(pkg, { source: 'demo', by: null, note })
      if (!res.ok)
        throw new Error(`the first package was not applied: ${res.message}`)
      return res.data
    },
  }
}

export type SetupService = ReturnType<typeof createSetupService>

/** Puts a package into a bare store as its first version (tools and tests that build a store without a server). */
export async function seedPackage(store: Store, pkg: SubdistrictPackage, note = 'seeded'): Promise<void> {
  const now = () => new Date()
  await createSetupService({ store, audit: createAudit(store.auth, now), live: createLiveReference(), now }).seed(pkg, note)
}
