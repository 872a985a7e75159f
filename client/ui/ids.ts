/**
 * A random operation id for Idempotency-Key. crypto.randomUUID exists only in secure contexts, and a command
 * hall may well serve the wall over plain http on its LAN; getRandomValues works everywhere.
 */
export function opId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}
