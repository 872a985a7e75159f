import type { VulnerablePerson } from '../../../shared/resources/schema.ts'
import type { Grid } from '../../../shared/territory/types.ts'
import type { AppContext } from '../../context.ts'
import type { Rng } from '../../kernel/random.ts'
import { createRng } from '../../kernel/random.ts'
import { chineseName } from '../../territory/cuntan/names.ts'
import { pickByWeight } from './reports.ts'

type Category = VulnerablePerson['category']

/** Roughly the mix a grid worker's ledger of 重点人群 holds: mostly elderly living alone. */
const CATEGORIES: readonly [Category, number][] = [['elderly_alone', 6], ['disabled', 2.5], ['bedridden', 1.5]]
const NOTES: Record<Category, readonly string[]> = {
  elderly_alone: ['子女在外地，每周电话联系', '耳背，敲门需大声', '患高血压，常备药在床头', ''],
  disabled: ['下肢残疾，需轮椅转移', '视力残疾，需人引导', '持残疾证，邻居可协助'],
  bedridden: ['长期卧床，需担架转移', '需要吸氧，转移时带氧气袋', '由保姆照护'],
}
const RELATIONS = ['儿子', '女儿', '侄子', '邻居', '楼栋长']

/** A made-up mobile number (demo data only). */
const phone = (rng: Rng) => `1${rng.pick(['38', '39', '58', '77', '86'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`

/**
 * The demo's register of vulnerable people: a few made-up households per grid (none in some), so the desk's
 * 重点人群 and the wall's 每户到人 have something to show. Deterministic for a seed.
 */
export function buildRegister(grids: readonly Grid[], opts: { seed: string, at: string }): VulnerablePerson[] {
  const rng = createRng(`${opts.seed}:register`)
  const people: VulnerablePerson[] = []
  for (const grid of grids) {
    const n = pickByWeight(rng, [0, 1, 2, 3, 4], k => [2, 3, 3, 2, 1][k]!)
    for (let i = 0; i < n; i++) {
      const category = pickByWeight(rng, CATEGORIES, c => c[1])[0]
      people.push({
        id: `vp-demo-${grid.id}-${i + 1}`,
        gridId: grid.id,
        category,
        name: chineseName(rng),
        address: `${grid.name} ${rng.int(1, 30)}栋${rng.int(1, 6)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`,
        phone: phone(rng),
        guardian: `${chineseName(rng)}（${rng.pick(RELATIONS)}）${phone(rng)}`,
        notes: rng.pick(NOTES[category]),
        updatedAt: opts.at,
      })
    }
  }
  return people
}

/** On a fresh demo store: the register, saved once. */
export async function fillRegister(ctx: AppContext, seed: string): Promise<number> {
  const people = buildRegister(ctx.reference.territory.grids, { seed, at: ctx.now().toISOString() })
  await ctx.store.register.save(people)
  return people.length
}
