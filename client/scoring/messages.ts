import scoringEn from '../locales/scoring.en.ts'
import scoringZhCN from '../locales/scoring.zh-CN.ts'
import { i18n } from '../modules/i18n.ts'

// The scoring components' strings join the one i18n instance when a component that needs them loads.

let merged = false

/** Adds the scoring strings to the app's i18n once; each scoring component calls it on load. */
export function installScoringMessages(): void {
  if (merged)
    return
  merged = true
  i18n.global.mergeLocaleMessage('zh-CN', scoringZhCN)
  i18n.global.mergeLocaleMessage('en', scoringEn)
}
