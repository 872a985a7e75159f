// Why the server refused something the phone sent, said in the worker's language. The server's own message is
// English for the log and the desk's admin; the phone names the cause and what to do.

export interface Refusal { key: string, params: Record<string, string> }

/** The report field a refusal names (`body.location.lon` → location). */
function fieldOf(field: string | null | undefined): string | null {
  if (!field)
    return null
  const parts = field.split('.').filter(p => p !== 'body' && p !== 'querystring')
  return parts[0] ?? null
}

const FIELDS = ['category', 'description', 'location', 'photos', 'title', 'address', 'severity', 'note', 'reporterPhone', 'reporterName'] as const

/** The i18n key (under `phone.refusal`) and its parameters for a refusal; null when only the server's words will do. */
export function refusalOf(status: number | null | undefined, field: string | null | undefined): Refusal | null {
  const f = fieldOf(field)
  switch (status) {
    case 401:
      return { key: 'phone.refusal.signIn', params: {} }
    case 403:
      return { key: 'phone.refusal.forbidden', params: {} }
    case 413:
      return { key: 'phone.refusal.tooLarge', params: {} }
    case 400: case 422:
      return f && (FIELDS as readonly string[]).includes(f)
        ? { key: 'phone.refusal.invalidField', params: { field: f } }
        : { key: 'phone.refusal.invalid', params: {} }
    default:
      return null
  }
}
