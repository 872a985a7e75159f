/** Polls `check` every 10 ms until it holds; throws after `ms`. */
export async function until(check: () => boolean, ms = 3000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms)
      throw new Error('timed out')
    await new Promise(r => setTimeout(r, 10))
  }
}
