/** GET a JSON resource from our own server; throws with the status on anything but 2xx. */
export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } })
  if (!res.ok)
    throw new Error(`GET ${path}: ${res.status} ${res.statusText}`)
  return await res.json() as T
}
