// A strict parser of the Prometheus text exposition format (0.0.4), enough to fail on what a scraper would
// refuse: every sample belongs to a family declared by # TYPE (once, before its samples), names and labels are
// well-formed, values are numbers, and a histogram's buckets are cumulative with +Inf equal to _count.

export interface Sample { name: string, labels: Record<string, string>, value: number }
export interface Family { name: string, type: string, help: string | null, samples: Sample[] }

const NAME = /^[a-z_:][\w:]*$/i
const LABEL = /^[a-z_]\w*$/i
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count', ''], counter: ['', '_total'], gauge: [''], untyped: [''] }

export function parsePrometheus(text: string): Map<string, Family> {
  const families = new Map<string, Family>()
  const lines = text.split('\n')
  if (lines.at(-1) !== '')
    throw new Error('the exposition must end with a newline')
  lines.forEach((line, i) => {
    const where = `line ${i + 1} (${line.slice(0, 80)})`
    if (line === '')
      return
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line)
      if (!m)
        return // a plain comment
      const [, kind, name, rest = ''] = m as unknown as [string, string, string, string | undefined]
      if (!NAME.test(name))
        throw new Error(`${where}: bad metric name`)
      const f = families.get(name) ?? { name, type: 'untyped', help: null, samples: [] }
      if (kind === 'TYPE') {
        if (!TYPES.has(rest))
          throw new Error(`${where}: unknown type ${rest}`)
        if (families.has(name) && (f.samples.length > 0 || f.type !== 'untyped'))
          throw new Error(`${where}: TYPE after samples or twice`)
        f.type = rest
      }
      else {
        if (f.help !== null)
          throw new Error(`${where}: HELP twice`)
        f.help = rest
      }
      families.set(name, f)
      return
    }
    const sample = parseSample(line, where)
    const family = familyOf(families, sample.name)
    if (!family)
      throw new Error(`${where}: sample of no declared family`)
    family.samples.push(sample)
  })
  for (const f of families.values()) {
    if (f.type === 'histogram')
      checkHistogram(f)
  }
  return families
}

function familyOf(families: Map<string, Family>, sample: string): Family | undefined {
  for (const f of families.values()) {
    if ((SUFFIXES[f.type] ?? ['']).some(s => f.name + s === sample))
      return f
  }
  return undefined
}

function parseSample(line: string, where: string): Sample {
  const m = /^([a-z_:][\w:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/i.exec(line)
  if (!m)
    throw new Error(`${where}: not a sample line`)
  const labels: Record<string, string> = {}
  let rest = m[2] ?? ''
  while (rest.length > 0) {
    const l = /^([a-z_]\w*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)/i.exec(rest)
    if (!l || !LABEL.test(l[1]!))
      throw new Error(`${where}: bad label set at ${rest.slice(0, 40)}`)
    if (l[1]! in labels)
      throw new Error(`${where}: label ${l[1]} twice`)
    labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1')
    rest = rest.slice(l[0].length)
  }
  // Prometheus reads values with Go's ParseFloat: NaN and Inf in any case (prom-client writes `Nan`).
  const raw = m[3]!
  const special = /^(?:([+-]?)inf|(nan))$/i.exec(raw)
  const value = special ? (special[2] ? Number.NaN : special[1] === '-' ? -Infinity : Infinity) : Number(raw)
  if (!special && (Number.isNaN(value) || raw.trim() === ''))
    throw new Error(`${where}: value ${raw} is not a number`)
  return { name: m[1]!, labels, value }
}

function checkHistogram(f: Family): void {
  const series = new Map<string, { buckets: [number, number][], count?: number }>()
  for (const s of f.samples) {
    const { le, ...rest } = s.labels
    const key = JSON.stringify(Object.entries(rest).sort())
    const h = series.get(key) ?? { buckets: [] }
    if (s.name.endsWith('_bucket')) {
      if (le === undefined)
        throw new Error(`${f.name}: a bucket without le`)
      h.buckets.push([le === '+Inf' ? Infinity : Number(le), s.value])
    }
    else if (s.name.endsWith('_count')) {
      h.count = s.value
    }
    series.set(key, h)
  }
  for (const [key, h] of series) {
    const sorted = [...h.buckets].sort((a, b) => a[0] - b[0])
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]![1] < sorted[i - 1]![1])
        throw new Error(`${f.name} ${key}: buckets are not cumulative`)
    }
    if (sorted.at(-1)?.[0] !== Infinity || sorted.at(-1)?.[1] !== h.count)
      throw new Error(`${f.name} ${key}: the +Inf bucket must equal _count`)
  }
}

/** The value of the one sample of `name` whose labels include `labels` (undefined: none). */
export function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const f = familyOf(families, name)
  const found = f?.samples.filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) ?? []
  if (found.length > 1)
    throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`)
  return found[0]?.value
}
