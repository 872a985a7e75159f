/**
 * A bounded list, newest first: pushing past `capacity` drops the oldest. The wall's feeds and series
 * use it so a month of updates holds what an hour does.
 */
export class RingBuffer<T> {
  private items: T[] = []

  constructor(readonly capacity: number) {
    if (!(capacity >= 1))
      throw new RangeError('capacity must be at least 1')
  }

  get size(): number {
    return this.items.length
  }

  /** Adds an item as the newest; returns the dropped oldest, if any. */
  push(item: T): T | undefined {
    this.items.unshift(item)
    return this.items.length > this.capacity ? this.items.pop() : undefined
  }

  /** Replaces the item matching `same`, keeping its place, or pushes it as the newest. */
  upsert(item: T, same: (held: T) => boolean): void {
    const at = this.items.findIndex(same)
    if (at >= 0)
      this.items[at] = item
    else
      this.push(item)
  }

  /** Pushes an item as the newest, dropping any held item matching `same` first. */
  pushUnique(item: T, same: (held: T) => boolean): void {
    const at = this.items.findIndex(same)
    if (at >= 0)
      this.items.splice(at, 1)
    this.push(item)
  }

  /** Newest first. A copy: the buffer may change under a caller that keeps it. */
  toArray(): T[] {
    return [...this.items]
  }

  clear(): void {
    this.items = []
  }
}
