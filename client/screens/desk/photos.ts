import { postPhoto } from '../../ui/http.ts'
import { compressPhoto } from '../field/photo.ts'

/** Compresses and uploads one photo as the phone does; answers its id. */
export const uploadPhoto = async (file: Blob): Promise<string> => postPhoto(await compressPhoto(file))

/** An incident photo's address (served through the incident that lists it). */
export function photoUrl(incidentId: string, photo: string, size: 'thumb' | 'full' = 'thumb') {
  return `/api/incidents/${encodeURIComponent(incidentId)}/photos/${photo}?size=${size}`
}
