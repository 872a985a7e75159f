import type { Ref } from 'vue'
import { nextTick, onMounted, onScopeDispose, watch } from 'vue'

/** The smallest size a title is set in before it takes a second line, as a share of its own size. */
const ONE_LINE_FLOOR = 0.8
/** Two lines must leave the duty line under them room in the header (px). */
const TWO_LINES_MAX = 29
const TWO_LINES_MIN = 20

/**
 * Sets a heading in the largest size that shows it whole: its CSS size on one line when it fits, slightly smaller on
 * one line, else two balanced lines (`data-lines="2"`). A package's title may be any length (the English one is
 * long), and an ellipsis would cut the subdistrict's own name. Refits when the box or the text changes.
 */
export function useFitTitle(el: Readonly<Ref<HTMLElement | null>>, text: () => string): void {
  function fit(): void {
    const h = el.value
    if (!h)
      return
    h.style.fontSize = ''
    delete h.dataset.lines
    const base = Number.parseFloat(getComputedStyle(h).fontSize)
    if (h.scrollWidth <= h.clientWidth)
      return
    const oneLine = Math.floor(base * h.clientWidth / h.scrollWidth)
    if (oneLine >= base * ONE_LINE_FLOOR) {
      h.style.fontSize = `${oneLine}px`
      return
    }
    h.dataset.lines = '2'
    for (let size = Math.min(TWO_LINES_MAX, Math.floor(base)); size >= TWO_LINES_MIN; size--) {
      h.style.fontSize = `${size}px`
      // Glyphs overhang their line boxes (scrollHeight says so even when all fits): a third line is what reaches the
      // CSS max-height of two and a half lines.
      if (h.clientHeight < Number.parseFloat(getComputedStyle(h).maxHeight) && h.scrollWidth <= h.clientWidth)
        return
    }
  }

  let observer: ResizeObserver | undefined
  // Refitting sets only the font size, never the box's width (the header's grid gives it), so this cannot loop.
  onMounted(() => {
    observer = new ResizeObserver(() => fit())
    if (el.value)
      observer.observe(el.value)
    // The wall's CJK font arrives after the first paint; its metrics change the fit.
    void document.fonts?.ready.then(() => fit())
  })
  watch(text, () => void nextTick(fit))
  onScopeDispose(() => observer?.disconnect())
}
