/** The design canvas every panel is laid out on. */
export const DESIGN = { width: 1920, height: 1080 } as const

export interface StageLayout {
  /** Uniform scale from design pixels to screen pixels. */
  scale: number
  /** The panel layer's size in design pixels: at least 1920 × 1080, wider or taller walls get more. */
  width: number
  height: number
}

/**
 * Fits the 1920 × 1080 design canvas into a screen of `width` × `height` CSS pixels with one uniform scale.
 * The spare dimension is not letterboxed: the layer grows there (in design pixels), so on a 32:9 wall the
 * side columns keep their size and the centre — the map — takes the extra width.
 */
export function stageLayout(width: number, height: number): StageLayout {
  const w = Math.max(1, width)
  const h = Math.max(1, height)
  const scale = Math.min(w / DESIGN.width, h / DESIGN.height)
  return { scale, width: w / scale, height: h / scale }
}

/**
 * The canvas pixel ratio for a chart drawn on the design canvas and scaled up by `scale` on a screen of
 * `devicePixelRatio`: at least their product, so text stays sharp on 4K; in quarter steps, so a window
 * resize by a few pixels does not rebuild every chart.
 */
export function chartPixelRatio(scale: number, devicePixelRatio: number): number {
  return Math.max(1, Math.ceil(scale * devicePixelRatio * 4) / 4)
}
