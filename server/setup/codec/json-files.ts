import type { ScoringConfig } from '../../../shared/scoring/config.ts'
import type { PackageOrigins } from '../../../shared/setup/origins.ts'
import type { PackagePlan, PackageProblem } from '../../../shared/setup/package.ts'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { originKey } from '../../../shared/setup/origins.ts'
import { Plan } from '../../../shared/wartime/schema.ts'
import { problemAt } from './cells.ts'
import { FILES } from './layout.ts'

// plans.json (an array of plans) and scoring.json (one scoring config): nested data stays JSON. Their shape is
// checked here; what they refer to is checked with the rest of the package.

const PackagePlanT = Compile(Type.Omit(Plan, ['version', 'updatedAt']))

const Weights = (keys: string[]) => Type.Object(Object.fromEntries(keys.map(k => [k, Type.Number()])), { additionalProperties: false })
const ScoringT = Compile(Type.Object({
  version: Type.String({ minLength: 1 }),
  weights: Weights(['completeness', 'activity', 'completion']),
  completeness: Type.Object({
    weights: Weights(['records', 'profile']),
    reportFields: Type.Array(Type.Union(['category', 'location', 'description', 'address', 'photo'].map(f => Type.Literal(f)))),
    minDescriptionChars: Type.Integer({ minimum: 0 }),
    minNoteChars: Type.Integer({ minimum: 0 }),
    updateActions: Type.Array(Type.String()),
  }, { additionalProperties: false }),
  activity: Type.Object({ weights: Weights(['patrols', 'reports', 'activeDays']), targets: Weights(['patrols', 'reports', 'activeDays']) }, { additionalProperties: false }),
  completion: Type.Object({ weights: Weights(['onTime', 'satisfaction']), loops: Type.Array(Type.Union(['grid', 'community', 'subdistrict'].map(l => Type.Literal(l)))) }, { additionalProperties: false }),
  tiers: Type.Array(Type.Object({ key: Type.String({ minLength: 1 }), name: Type.String(), nameEn: Type.String(), min: Type.Number() }, { additionalProperties: false })),
  rankings: Type.Object({ bestCandidates: Type.Number(), minClosedForStar: Type.Number() }, { additionalProperties: false }),
}, { additionalProperties: false }))

export function parse(file: string, data: Buffer | undefined, problems: PackageProblem[]): unknown {
  if (!data)
    return undefined
  try {
    return JSON.parse(data.toString('utf8').replace(/^\uFEFF/, '')) as unknown
  }
  catch (e) {
    problems.push(problemAt({ file }, 'unreadable_file', `不是有效的 JSON：${(e as Error).message}`, `not valid JSON: ${(e as Error).message}`))
    return undefined
  }
}

export interface Checker { Check: (v: unknown) => boolean, Errors: (v: unknown) => Iterable<{ instancePath: string, message?: string }> }

/** The first shape error as a path a person can find: `templates[0].forceKinds`. */
export function shapeError(check: Checker, value: unknown): { path: string, message: string } | null {
  if (check.Check(value))
    return null
  const e = [...check.Errors(value)][0]
  const path = (e?.instancePath ?? '').split('/').filter(Boolean).map(s => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '')
  return { path: path || '$', message: e?.message ?? 'is invalid' }
}

export function readPlans(data: Buffer | undefined, problems: PackageProblem[], origins: PackageOrigins): PackagePlan[] {
  const file = FILES.plans
  origins.sections.plans = { file }
  const json = parse(file, data, problems)
  if (json === undefined)
    return []
  if (!Array.isArray(json)) {
    problems.push(problemAt({ file }, 'bad_value', 'plans.json 须为预案数组', 'plans.json must be an array of plans'))
    return []
  }
  return json.filter((plan: unknown, i) => {
    const id = typeof (plan as PackagePlan)?.id === 'string' ? (plan as PackagePlan).id : ''
    origins.records.set(originKey('plans', id), { file, row: i + 1 })
    const bad = shapeError(PackagePlanT as unknown as Checker, plan)
    if (bad)
      problems.push(problemAt({ file }, 'bad_value', `预案格式不正确：${bad.path} ${bad.message}`, `plan does not match the format: ${bad.path} ${bad.message}`, { row: i + 1, column: bad.path, id }))
    return !bad
  }) as PackagePlan[]
}

export function readScoring(data: Buffer | undefined, problems: PackageProblem[], origins: PackageOrigins): ScoringConfig | null {
  const file = FILES.scoring
  origins.sections.scoring = { file }
  const json = parse(file, data, problems)
  if (json === undefined)
    return null
  const bad = shapeError(ScoringT as unknown as Checker, json)
  if (bad) {
    problems.push(problemAt({ file }, 'bad_value', `评分配置格式不正确：${bad.path} ${bad.message}`, `scoring config does not match the format: ${bad.path} ${bad.message}`, { column: bad.path }))
    return null
  }
  return json as ScoringConfig
}

export const jsonFile = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8')
