import type { Incident } from '../../../shared/incident/schema.ts'
import type { CategoryName } from '../../map/duplicates.ts'

/**
 * An incident's heading in the feed. Without a title of its own an incident is titled with its category's Chinese
 * name (routing's default), which the wall shows in its own language; a title somebody wrote stays as written.
 */
export function feedTitle(i: Pick<Incident, 'title' | 'category' | 'labels'>, zhName: string | undefined, nameOf: CategoryName): string {
  const defaulted = !i.title || i.title === zhName || i.title === i.labels?.category
  return defaulted ? nameOf(i.category, i.labels?.category) : i.title
}
