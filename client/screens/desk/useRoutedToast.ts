import type { RoutedNotice } from '../../../shared/desk/schema.ts'
import { onMounted, onUnmounted, shallowRef } from 'vue'
import { chime, unlockChime } from './chime.ts'

const SHOWN_MS = 8000

/**
 * What lands with me while the desk is open: a chime and a toast for a few seconds. The browser lets the chime
 * play only after a gesture on the page, so the first pointer or key press unlocks it.
 */
export function useRoutedToast(onRouted: (listener: (n: RoutedNotice) => void) => () => void) {
  const toast = shallowRef<RoutedNotice | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let off: (() => void) | undefined
  onMounted(() => {
    off = onRouted((n) => {
      toast.value = n
      chime()
      clearTimeout(timer)
      timer = setTimeout(() => (toast.value = null), SHOWN_MS)
    })
    window.addEventListener('pointerdown', unlockChime)
    window.addEventListener('keydown', unlockChime)
  })
  onUnmounted(() => {
    off?.()
    clearTimeout(timer)
    window.removeEventListener('pointerdown', unlockChime)
    window.removeEventListener('keydown', unlockChime)
  })
  return toast
}
