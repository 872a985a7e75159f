import type { PackageProblem, SubdistrictPackage } from '../../shared/setup/package.ts'

/** What a settings edit in the console must keep true: the headline names categories the package has. */
export function settingsProblems(pkg: SubdistrictPackage): PackageProblem[] {
  const codes = new Set(pkg.categories.map(c => c.code))
  return pkg.headline.filter(code => !codes.has(code)).map(code => ({
    file: 'subdistrict.xlsx',
    column: 'headline',
    id: code,
    code: 'unknown_reference',
    reason: `头条事项 ${code} 不是本街道的事项类别`,
    reasonEn: `headline category ${code} is not one of the package's categories`,
  }))
}
