import type { Ref } from 'vue'
import type { EChartsCoreOption, EChartsType } from '../modules/echarts.ts'
import type { StageLayout } from './stage.ts'
import { computed, inject, markRaw, onMounted, onScopeDispose, shallowRef, watch } from 'vue'
import { debugHooks } from '../modules/debug.ts'
import { init } from '../modules/echarts.ts'
import { chartPixelRatio } from './stage.ts'

export const STAGE_KEY = Symbol('stage')
export interface StageContext { layout: Ref<StageLayout>, dpr: Ref<number> }

export interface UseChartOptions {
  /** Name under which browser tests find the instance (window.__onescreen.chart(name)). */
  name?: string
}

/**
 * One long-lived ECharts instance in `el`, updated through setOption whenever `option` changes (lazily: at most
 * once per frame). Drawn at a pixel ratio of at least the stage scale × the screen's, so text is sharp on a 4K
 * wall; rebuilt only if that ratio changes. Disposed with the component.
 */
export function useChart(el: Ref<HTMLElement | null>, option: () => EChartsCoreOption, opts: UseChartOptions = {}) {
  const stage = inject<StageContext | null>(STAGE_KEY, null)
  const ratio = computed(() => chartPixelRatio(stage?.layout.value.scale ?? 1, stage?.dpr.value ?? window.devicePixelRatio ?? 1))
  const chart = shallowRef<EChartsType | null>(null)
  let observer: ResizeObserver | undefined

  function create(): void {
    if (!el.value)
      return
    chart.value?.dispose()
    chart.value = markRaw(init(el.value, null, { renderer: 'canvas', devicePixelRatio: ratio.value }))
    chart.value.setOption(option())
    if (opts.name)
      debugHooks.charts.set(opts.name, chart.value)
  }

  onMounted(() => {
    create()
    observer = new ResizeObserver(() => chart.value?.resize())
    if (el.value)
      observer.observe(el.value)
    // Canvas text drawn before the bundled font arrived used a fallback: draw again once it is there.
    void document.fonts?.ready.then(() => chart.value?.setOption(option()))
  })
  watch(option, next => chart.value?.setOption(next, { lazyUpdate: true }))
  watch(ratio, create)
  onScopeDispose(() => {
    observer?.disconnect()
    chart.value?.dispose()
    chart.value = null
    if (opts.name)
      debugHooks.charts.delete(opts.name)
  })
  return chart
}
