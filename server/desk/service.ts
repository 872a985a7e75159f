import type { Principal } from '../../shared/auth/authz.ts'
import type { QueueAnswer, QueueQuery, SimilarAnswer } from '../../shared/desk/schema.ts'
import type { Result } from '../../shared/kernel/result.ts'
import type { Store } from '../db/store.ts'
import type { DuplicateIndex } from '../incident/duplicates.ts'
import { deskReach, seesPersonalData } from '../../shared/auth/authz.ts'
import { fail, succeed } from '../../shared/kernel/result.ts'

const PAGE_SIZE = 20

/** The desk (工作台): a caller's queue and merge candidates, read within the reach authz.ts gives them. */
export function createDeskService(deps: { store: Store, now: () => Date, duplicates: Pick<DuplicateIndex, 'candidates'> }) {
  async function queue(p: Principal, q: QueueQuery): Promise<Result<QueueAnswer>> {
    if (q.phone && !seesPersonalData(p))
      return fail('forbidden', 'searching by the reporter\'s phone needs personal:read', 'phone')
    const reach = deskReach(p)
    const now = deps.now().toISOString()
    const page = q.page ?? 1
    const pageSize = q.pageSize ?? PAGE_SIZE
    const { tab = 'all', q: text, page: _p, pageSize: _s, ...filters } = q
    const [found, counts] = await Promise.all([
      deps.store.queryIncidents({ ...filters, reach, personId: p.personId, myPostId: p.postId ?? null, tab, now, text: text?.trim() || undefined, offset: (page - 1) * pageSize, limit: pageSize }),
      deps.store.countQueue({ reach, personId: p.personId, myPostId: p.postId ?? null, now }),
    ])
    return succeed({ items: found.items, total: found.total, more: found.more, page, pageSize, counts })
  }

  /** Possible duplicates (shared/incident/duplicates.ts): what a desk worker would merge this report into, nearest first. */
  async function similar(id: string): Promise<Result<SimilarAnswer>> {
    const inc = await deps.store.getIncidentState(id)
    if (!inc)
      return fail('not_found', `incident ${id} does not exist`, 'id')
    return succeed(await deps.duplicates.candidates(inc))
  }

  return { queue, similar }
}

export type DeskService = ReturnType<typeof createDeskService>
