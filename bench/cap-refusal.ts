// An oversize CAP body is refused before it is parsed: refusing it against what reading the same body would
// cost (fast-xml-parser's well-formedness pass, the first thing parseCap does with a body it accepts), and
// against reading one real warning. Was a `< 50 ms` assertion in tests/shared/cap/parse.test.ts.
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import { XMLValidator } from 'fast-xml-parser'
import { parseCap } from '../shared/cap/parse.ts'
import { julyRainstormCap } from '../shared/cap/samples.ts'
import { MAX_CAP_BYTES } from '../shared/kernel/limits.ts'
import { alternate, median, ms, now, times } from './lib/common.ts'

const GOAL = 0.1

/** Small values readably: 0.004 ms is 4.0 µs, a ratio of 0.0004 is not 0.00×. */
const short = (v: number) => v < 0.1 ? `${(v * 1000).toFixed(1)} µs` : ms(v)
const ratioOf = (v: number) => v < 0.1 ? `${v.toPrecision(2)}×` : times(v)

/** Mean time of one call of `f`, over enough calls to last about `budgetMs`. */
function perCall(f: () => unknown, budgetMs: number): number {
  let n = 0
  const t0 = now()
  do {
    f()
    n++
  } while (now() - t0 < budgetMs)
  return (now() - t0) / n
}

export async function capRefusal(opts: BenchOptions): Promise<BenchResult> {
  const rounds = opts.long ? 9 : 5
  const warning = julyRainstormCap(new Date())
  const bodies = [
    { label: `refuse a 2 MiB body`, goal: true, xml: warning.replace('<description>', `<description>${'x'.repeat(2 * 1024 * 1024)}`) },
    // Under the limit in characters, over it in UTF-8 bytes: the byte count walks the string, one character at
    // a time in JS (shared/cap/xml.ts utf8Length), so this one is printed, not held to the goal.
    { label: `refuse 600 KB of Chinese text (200 k characters)`, goal: false, xml: warning.replace('<description>', `<description>${'雨'.repeat(200_000)}`) },
  ]
  const errors: string[] = []
  const rows: Row[] = []
  for (const { label, goal, xml } of bodies) {
    const answer = parseCap(xml)
    if (answer.ok || !/larger than/.test(answer.error))
      errors.push(`${label}: expected a size refusal, got ${answer.ok ? 'an accepted alert' : answer.error}`)
    const { a: refuse, b: read } = await alternate(rounds, () => perCall(() => parseCap(xml), 200), () => perCall(() => XMLValidator.validate(xml), 200))
    const ratio = median(refuse) / median(read)
    rows.push({ metric: label, value: short(median(refuse)), baseline: `${ms(median(read))} to read it`, ratio: ratioOf(ratio), goal: goal ? `≤ ${GOAL}×` : '', pass: goal ? ratio <= GOAL : null })
  }
  const { a: refuse, b: typical } = await alternate(rounds, () => perCall(() => parseCap(bodies[1]!.xml), 200), () => perCall(() => parseCap(warning), 200))
  rows.push({ metric: 'refuse the 600 KB body vs accept one real warning', value: short(median(refuse)), baseline: ms(median(typical)), ratio: ratioOf(median(refuse) / median(typical)), goal: '', pass: null })
  return {
    name: `cap-refusal (parseCap on bodies over MAX_CAP_BYTES = ${MAX_CAP_BYTES / 1024} KiB; ${rounds} rounds per side, alternating, median of per-round means)`,
    rows,
    errors,
    notes: [
      `baseline "to read it": XMLValidator.validate on the same body, the well-formedness pass parseCap makes on a body it accepts; the real warning is shared/cap/samples.ts julyRainstormCap (${Buffer.byteLength(warning)} bytes)`,
    ],
  }
}
