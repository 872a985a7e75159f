// Limits both sides enforce. The TypeBox schemas use them and the phone checks them before it queues a report;
// this module imports nothing, so the phone bundle can take it without shipping TypeBox (~15 KiB gzipped).

/** Photos on one report, one resolution or one task update. */
export const MAX_PHOTOS = 6
/** One uploaded photo before the server re-encodes it. */
export const MAX_PHOTO_BYTES = 12 * 1024 * 1024
/** One CAP 1.2 alert document. */
export const MAX_CAP_BYTES = 512 * 1024
/** Longest texts a person types, in characters. */
export const TEXT_LIMITS = {
  description: 2000,
  title: 120,
  address: 200,
  reporterName: 50,
  reporterPhone: 30,
  note: 2000,
  taskNote: 1000,
} as const
