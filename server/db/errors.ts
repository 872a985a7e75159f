/** A write raced another write of the same entity; the caller re-reads and retries or answers 409. */
export class VersionConflictError extends Error {
  constructor(readonly id: string, readonly stored: number, readonly attempted: number) {
    super(`version conflict on ${id}: stored ${stored}, attempted ${attempted}`)
  }
}
