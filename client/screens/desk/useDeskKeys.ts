import { onScopeDispose } from 'vue'

export interface DeskKeys {
  enabled: () => boolean
  next: () => void
  prev: () => void
  open: () => void
  accept: () => void
  assign: () => void
  search: () => void
}

/** The desk's shortcuts for the common path; none fire while typing in a field. */
export function useDeskKeys(keys: DeskKeys): void {
  function onKey(e: KeyboardEvent): void {
    const el = e.target as HTMLElement | null
    if (!keys.enabled() || e.ctrlKey || e.metaKey || e.altKey || el?.closest('input, textarea, select, [contenteditable]'))
      return
    const act: Record<string, () => void> = {
      'j': keys.next,
      'ArrowDown': keys.next,
      'k': keys.prev,
      'ArrowUp': keys.prev,
      'Enter': keys.open,
      'a': keys.accept,
      's': keys.assign,
      '/': keys.search,
    }
    const run = act[e.key]
    if (run) {
      e.preventDefault()
      run()
    }
  }
  window.addEventListener('keydown', onKey)
  onScopeDispose(() => window.removeEventListener('keydown', onKey))
}
