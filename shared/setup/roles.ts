import type { RoleKey } from '../territory/types.ts'
import { ROLE_KEYS } from '../territory/types.ts'

// The roles' Chinese names: what an integrator may write instead of the key (人员 sheet, 角色 column) and what the
// console shows.

export const ROLE_NAMES: Record<RoleKey, string> = {
  admin: '系统管理员',
  commander: '指挥长',
  operator: '值班员',
  sector_lead: '板块负责人',
  post_staff: '岗位人员',
  community_staff: '社区工作者',
  grid_worker: '网格员',
  force_member: '力量成员',
  leader: '领导',
  wall: '大屏',
  integration: '系统对接',
  system: '系统',
}

/** A role key from its key or Chinese name; undefined when it is neither. */
export function roleFrom(text: string): RoleKey | undefined {
  const t = text.trim()
  if ((ROLE_KEYS as readonly string[]).includes(t))
    return t as RoleKey
  return ROLE_KEYS.find(k => ROLE_NAMES[k] === t)
}
