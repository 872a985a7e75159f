import { useSessionStore } from '../../auth/store.ts'
import { HttpError } from '../../ui/http.ts'
import { compressPhoto } from '../field/photo.ts'

/** Compresses and uploads one photo as the phone does (`POST /api/photos`, field `file`); answers its id. */
export async function uploadPhoto(file: Blob): Promise<string> {
  const form = new FormData()
  form.append('file', await compressPhoto(file), 'photo.jpg')
  const headers: Record<string, string> = { accept: 'application/json' }
  const csrf = useSessionStore().me?.csrf
  if (csrf)
    headers['x-csrf-token'] = csrf
  const res = await fetch('/api/photos', { method: 'POST', credentials: 'same-origin', headers, body: form })
  const body = await res.json().catch(() => null) as { id?: string, message?: string } | null
  if (!res.ok || !body?.id)
    throw new HttpError(res.status, body?.message ?? `photo upload: ${res.status}`, body)
  return body.id
}

/** An incident photo's address (served through the incident that lists it). */
export function photoUrl(incidentId: string, photo: string, size: 'thumb' | 'full' = 'thumb') {
  return `/api/incidents/${encodeURIComponent(incidentId)}/photos/${photo}?size=${size}`
}
