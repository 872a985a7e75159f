import type { Rng } from '../../kernel/random.ts'

// Surnames weighted roughly by frequency in Chongqing (刘、陈、李、张、王 lead; 冉、向、谭、秦 are locally common).
const SURNAMES: readonly [string, number][] = [
  ['刘', 9],
  ['陈', 9],
  ['李', 8],
  ['张', 8],
  ['王', 8],
  ['杨', 6],
  ['黄', 4],
  ['周', 4],
  ['何', 4],
  ['谭', 4],
  ['罗', 3],
  ['吴', 3],
  ['唐', 3],
  ['胡', 3],
  ['徐', 2],
  ['赵', 2],
  ['冉', 2],
  ['向', 2],
  ['秦', 2],
  ['曾', 2],
  ['彭', 2],
  ['邓', 2],
  ['蒋', 2],
  ['余', 2],
  ['熊', 2],
  ['袁', 2],
  ['许', 1],
  ['郑', 1],
  ['谢', 1],
  ['冯', 1],
  ['朱', 1],
  ['高', 1],
  ['林', 1],
  ['程', 1],
  ['傅', 1],
  ['邹', 1],
  ['廖', 1],
  ['田', 1],
  ['江', 1],
  ['杜', 1],
  ['母', 1],
  ['雷', 1],
]
const SURNAME_TOTAL = SURNAMES.reduce((s, [, w]) => s + w, 0)

// Given-name characters; masculine-leaning, feminine-leaning and neutral sets so names read naturally.
const GIVEN_M = '伟刚强军勇斌峰磊杰涛明超辉鹏俊浩宇帆林波建平华国庆忠诚志远文武川渝江海'
const GIVEN_F = '芳娟敏静丽艳霞燕琳婷雪梅兰红玲莉萍倩颖洁瑶蓉晓秀英佳欣怡'
const GIVEN_N = '小春秋晓德安和永成新云一思子嘉家红'

function surname(rng: Rng): string {
  let r = rng.next() * SURNAME_TOTAL
  for (const [name, weight] of SURNAMES) {
    r -= weight
    if (r < 0)
      return name
  }
  return SURNAMES[0]![0]
}

/** One plausible Chinese personal name: surname + one or two given characters. */
export function chineseName(rng: Rng): string {
  const pool = [...(rng.chance(0.5) ? GIVEN_M : GIVEN_F)]
  if (rng.chance(0.35))
    return surname(rng) + rng.pick(pool)
  const first = rng.chance(0.4) ? rng.pick([...GIVEN_N]) : rng.pick(pool)
  return surname(rng) + first + rng.pick(pool)
}

// Common mobile prefixes; the rest of the number is random and the data set is marked demo.
const PHONE_PREFIXES = ['138', '139', '152', '158', '135', '136', '150', '151', '177', '186', '187', '189', '199']

/** Hands out names and phone numbers that are unique across one generated data set. */
export class NameBook {
  private readonly names = new Set<string>()
  private readonly phones = new Set<string>()

  constructor(private readonly rng: Rng) {}

  name(): string {
    for (;;) {
      const name = chineseName(this.rng)
      if (!this.names.has(name)) {
        this.names.add(name)
        return name
      }
    }
  }

  phone(): string {
    for (;;) {
      const digits = String(this.rng.int(0, 99_999_999)).padStart(8, '0')
      const phone = `${this.rng.pick(PHONE_PREFIXES)}-${digits.slice(0, 4)}-${digits.slice(4)}`
      if (!this.phones.has(phone)) {
        this.phones.add(phone)
        return phone
      }
    }
  }
}
