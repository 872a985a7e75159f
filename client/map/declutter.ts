/** A tag's box on screen, in pixels, where it sits without any offset. */
export interface Box { left: number, top: number, right: number, bottom: number }

const GAP = 2

const hits = (a: Box, b: Box): boolean => a.left < b.right + GAP && b.left < a.right + GAP && a.top < b.bottom + GAP && b.top < a.bottom + GAP
const moved = (b: Box, [dx, dy]: [number, number]): Box => ({ left: b.left + dx, right: b.right + dx, top: b.top + dy, bottom: b.bottom + dy })

/**
 * Offsets `[dx, dy]` that keep tags from covering each other or the fixed labels (place names), placing them in
 * order: each stays where it is if it can, else moves the shortest way to a free place just beside a box (above,
 * below, left or right of it). No further than `reach` tags' heights; a tag with no free place within reach stays
 * put, so a crowded corner is never flung across the map.
 */
export function declutter(tags: readonly Box[], fixed: readonly Box[], reach = 3): [number, number][] {
  const placed: Box[] = [...fixed]
  return tags.map((tag) => {
    const limit = reach * (tag.bottom - tag.top + GAP)
    const slots: [number, number][] = [[0, 0]]
    for (const p of placed) {
      slots.push([0, p.top - GAP - 1 - tag.bottom], [0, p.bottom + GAP + 1 - tag.top], [p.left - GAP - 1 - tag.right, 0], [p.right + GAP + 1 - tag.left, 0])
    }
    const size = ([dx, dy]: [number, number]) => Math.abs(dx) + Math.abs(dy)
    const free = slots
      .filter(s => size(s) <= limit)
      // Nearest first; on a tie up before down and vertical before sideways (a tag already stands over its point).
      .sort((a, b) => size(a) - size(b) || a[1] - b[1] || Math.abs(a[0]) - Math.abs(b[0]))
      .find(s => !placed.some(p => hits(moved(tag, s), p)))
    const offset = free ?? [0, 0]
    placed.push(moved(tag, offset))
    return offset
  })
}
