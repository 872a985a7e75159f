// When the wall must say the feed is interrupted. The server pings every 5 s, so silence is noticed even on a
// connection that looks open; a clean disconnect is noticed at once but shown only after a short grace, so a
// blip while reconnecting does not flash a red banner across the hall.

/** No message (data or ping) for this long: the feed is interrupted even if the socket looks open. */
export const SILENCE_MS = 15_000
/** Disconnected (or never caught up) for this long: the feed is interrupted. */
export const OUTAGE_GRACE_MS = 5_000

export interface FeedSignals {
  /** Last message of any kind from the server (ms epoch), null before the first. */
  lastMessageAt: number | null
  /** Since when the wall has not held a caught-up live feed (ms epoch); null while it has. */
  downSince: number | null
}

export function isInterrupted(now: number, s: FeedSignals): boolean {
  if (s.downSince !== null && now - s.downSince >= OUTAGE_GRACE_MS)
    return true
  return s.lastMessageAt !== null && now - s.lastMessageAt >= SILENCE_MS
}
