import type { StageLayout } from './stage.ts'
import { onScopeDispose, shallowRef } from 'vue'
import { stageLayout } from './stage.ts'

/** The panel layer's layout for the current window, updated on resize (a wall rarely changes; a laptop does). */
export function useStage() {
  const layout = shallowRef<StageLayout>(stageLayout(window.innerWidth, window.innerHeight))
  const dpr = shallowRef(window.devicePixelRatio || 1)
  const update = () => {
    layout.value = stageLayout(window.innerWidth, window.innerHeight)
    dpr.value = window.devicePixelRatio || 1
  }
  window.addEventListener('resize', update)
  onScopeDispose(() => window.removeEventListener('resize', update))
  return { layout, dpr }
}
