import type { Issue } from './origins.ts'
import type { SubdistrictPackage } from './package.ts'
import { validateCatalog } from '../organisation/catalog.ts'
import { validateScoringConfig } from '../scoring/config.ts'
import { ROLE_KEYS } from '../territory/types.ts'
import { duplicates, idSet, refIssue, unknownRef } from './issues.ts'

// Categories, plans, scoring and the headline: owners exist, plans reach kinds the package names, and the
// catalog and scoring pass the same checks the console's editors use (their messages mapped to fields).

const CATALOG_MESSAGES: { re: RegExp, field: (m: RegExpMatchArray) => string, code: string, zh: (m: RegExpMatchArray) => string }[] = [
  { re: /^category (.+): code must be an ascii slug$/, field: () => 'id', code: 'bad_value', zh: () => '编码须为小写字母开头的字母、数字或下划线' },
  { re: /^category (.+): unknown loop (.+)$/, field: () => 'loop', code: 'bad_value', zh: m => `未知的闭环：${m[2]}` },
  { re: /^category (.+): weight must be positive$/, field: () => 'weight', code: 'bad_value', zh: () => '权重须为正数' },
  { re: /^category (.+): deadline for (.+) must be positive$/, field: m => `deadline.${m[2]}`, code: 'bad_value', zh: () => '时限须为正数（分钟）' },
  { re: /^category (.+): working days for (.+) must be a whole number from 1 to 365$/, field: m => `workdays.${m[2]}`, code: 'bad_value', zh: () => '工作日时限须为 1 至 365 的整数' },
  { re: /^category (.+): post (.+) is not in sector (.+)$/, field: () => 'leadPost', code: 'unknown_reference', zh: m => `岗位 ${m[2]} 不属于板块 ${m[3]}` },
]
// Covered by our own checks with a precise field: duplicate codes, unknown posts and sectors.
const COVERED = [/: duplicate code$/, /: unknown post /, /^post .+: unknown sector /]

function categoryIssues(pkg: SubdistrictPackage): Issue[] {
  const { sectors, posts } = pkg.reference.org
  const out: Issue[] = [...duplicates('categories', pkg.categories, c => c.code)]
  const postIds = idSet(posts)
  for (const c of pkg.categories) {
    const r = c.responsibility
    if (r.type === 'single' || r.type === 'cross') {
      const lead = r.type === 'single' ? r.postId : r.lead.postId
      if (!lead)
        out.push({ section: 'categories', id: c.code, field: 'leadPost', code: 'no_owner', reason: '单一或跨板块事项须指定牵头岗位', reasonEn: 'a single or cross-sector category needs a lead post' })
      else
        out.push(...refIssue(postIds, 'categories', c.code, 'leadPost', '岗位', 'post', lead))
      if (r.type === 'cross') {
        for (const h of r.helpers)
          out.push(...refIssue(postIds, 'categories', c.code, 'helperPosts', '岗位', 'post', h.postId))
      }
    }
  }
  for (const message of validateCatalog({ sectors, posts, categories: pkg.categories, calendar: pkg.calendar })) {
    if (COVERED.some(re => re.test(message)))
      continue
    const rule = CATALOG_MESSAGES.find(r => r.re.test(message))
    const m = message.match(rule?.re ?? /^category ([^:]+)/)
    const id = m?.[1] ?? ''
    out.push(rule && m
      ? { section: 'categories', id, field: rule.field(m), code: rule.code, reason: rule.zh(m), reasonEn: message }
      : { section: 'categories', id, code: 'bad_catalog', reason: `事项类别无效：${message}`, reasonEn: message })
  }
  return out
}

function planIssues(pkg: SubdistrictPackage): Issue[] {
  const { territory, org, facilities } = pkg.reference
  const kinds = idSet(org.forceKinds)
  const tags = idSet(facilities.riskTags)
  const communities = idSet(territory.communities)
  const resources = idSet(facilities.resourceKinds)
  const roles = new Set<string>(ROLE_KEYS)
  const out: Issue[] = [...duplicates('plans', pkg.plans, p => p.id)]
  for (const plan of pkg.plans) {
    plan.templates.forEach((t, i) => {
      const at = `templates[${i}]`
      for (const k of t.forceKinds)
        out.push(...refIssue(kinds, 'plans', plan.id, `${at}.forceKinds`, '力量类别', 'force kind', k))
      for (const k of t.riskTags)
        out.push(...refIssue(tags, 'plans', plan.id, `${at}.riskTags`, '风险标签', 'risk tag', k))
      for (const k of t.communityIds)
        out.push(...refIssue(communities, 'plans', plan.id, `${at}.communityIds`, '社区', 'community', k))
      for (const k of t.roles)
        out.push(...refIssue(roles, 'plans', plan.id, `${at}.roles`, '角色', 'role', k))
    })
    plan.resources.forEach((r, i) =>
      out.push(...refIssue(resources, 'plans', plan.id, `resources[${i}].kind`, '物资类型', 'resource kind', r.kind)))
  }
  return out
}

function scoringIssues(pkg: SubdistrictPackage): Issue[] {
  return validateScoringConfig(pkg.scoring).map(message => ({
    section: 'scoring',
    id: '',
    field: message.split(/[ :]/)[0]!,
    code: 'bad_scoring',
    reason: `评分配置无效：${message}`,
    reasonEn: message,
  }))
}

export function checkCatalog(pkg: SubdistrictPackage): Issue[] {
  const codes = new Set(pkg.categories.map(c => c.code))
  const headline = pkg.headline.filter(h => !codes.has(h)).map(h => unknownRef('headline', '', 'headline', '事项类别', 'category', h))
  return [...categoryIssues(pkg), ...planIssues(pkg), ...scoringIssues(pkg), ...headline]
}
