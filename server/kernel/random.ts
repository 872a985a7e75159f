import seedrandom from 'seedrandom'

/** A seeded random source; every demo generator draws from one so a seed fixes the whole data set. */
export interface Rng {
  /** Uniform in [0, 1). */
  next: () => number
  /** Uniform in [min, max]. */
  float: (min: number, max: number) => number
  /** Integer in [min, max], both inclusive. */
  int: (min: number, max: number) => number
  pick: <T>(items: readonly T[]) => T
  /** A shuffled copy (Fisher–Yates). */
  shuffle: <T>(items: readonly T[]) => T[]
  chance: (p: number) => boolean
}

export function createRng(seed: string): Rng {
  const prng = seedrandom(seed)
  const next = (): number => prng()
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    float: (min, max) => min + next() * (max - min),
    int,
    pick: (items) => {
      if (items.length === 0)
        throw new Error('pick from an empty list')
      return items[int(0, items.length - 1)]!
    },
    shuffle: (items) => {
      const out = [...items]
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i)
        ;[out[i], out[j]] = [out[j]!, out[i]!]
      }
      return out
    },
    chance: p => next() < p,
  }
}
