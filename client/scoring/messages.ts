import scoringZhCN from '../locales/scoring.zh-CN.ts'
import { mergeStrings } from '../modules/i18n.ts'

/** Adds the scoring strings when a scoring component loads. */
export const installScoringMessages = (): void => mergeStrings(scoringZhCN)
