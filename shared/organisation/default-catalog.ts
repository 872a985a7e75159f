import type { Post, Sector } from '../territory/types.ts'
import type { Catalog, Category, Deadlines, PostRef } from './catalog.ts'

// Cuntan's default responsibility lists, modelled on the source (四板块 → 岗位; 单一/跨板块事项, 社区基础任务,
// 网格员 "6+1"). An operator may edit all of it; these values are a realistic starting point, not law.

const SECTORS: Sector[] = [
  { id: 'party', name: '党的建设', nameEn: 'Party building' },
  { id: 'economy', name: '经济发展', nameEn: 'Economic development' },
  { id: 'livelihood', name: '民生服务', nameEn: 'Livelihood services' },
  { id: 'safety', name: '平安法治', nameEn: 'Safety and rule of law' },
]

const POSTS: Post[] = [
  { id: 'party.org', sectorId: 'party', name: '组织建设岗', nameEn: 'Party organisation' },
  { id: 'party.mass', sectorId: 'party', name: '群团志愿岗', nameEn: 'Mass organisations and volunteers' },
  { id: 'party.discipline', sectorId: 'party', name: '纪检监察岗', nameEn: 'Discipline inspection' },
  { id: 'economy.business_env', sectorId: 'economy', name: '优化营商岗', nameEn: 'Business environment' },
  { id: 'economy.enterprise', sectorId: 'economy', name: '企业服务岗', nameEn: 'Enterprise services' },
  { id: 'economy.labor', sectorId: 'economy', name: '劳动保障岗', nameEn: 'Labour protection' },
  { id: 'livelihood.civil_affairs', sectorId: 'livelihood', name: '民政服务岗', nameEn: 'Civil affairs' },
  { id: 'livelihood.property', sectorId: 'livelihood', name: '物业管理岗', nameEn: 'Property management' },
  { id: 'livelihood.urban', sectorId: 'livelihood', name: '城市管理岗', nameEn: 'Urban management' },
  { id: 'livelihood.health', sectorId: 'livelihood', name: '卫生健康岗', nameEn: 'Public health' },
  { id: 'livelihood.social_security', sectorId: 'livelihood', name: '社会保障岗', nameEn: 'Social security' },
  { id: 'safety.law_enforcement', sectorId: 'safety', name: '综合执法岗', nameEn: 'Comprehensive law enforcement' },
  { id: 'safety.emergency', sectorId: 'safety', name: '应急管理岗', nameEn: 'Emergency management' },
  { id: 'safety.petition', sectorId: 'safety', name: '信访维稳岗', nameEn: 'Petitions and stability' },
  { id: 'safety.mediation', sectorId: 'safety', name: '矛盾调解岗', nameEn: 'Dispute mediation' },
  { id: 'safety.public_security', sectorId: 'safety', name: '治安防控岗', nameEn: 'Public security' },
]

// Deadline profiles in minutes, by urgency. Grade I: accept within 5 minutes, on scene within 15.
const URGENT: Deadlines = { reported: 5, accepted: 5, assigned: 15, handling: 240, resolved: 240, verified: 1440 }
const HIGH: Deadlines = { reported: 15, accepted: 15, assigned: 30, handling: 480, resolved: 720, verified: 2880 }
const NORMAL: Deadlines = { reported: 60, accepted: 120, assigned: 240, handling: 2880, resolved: 1440, verified: 4320 }
const LOW: Deadlines = { reported: 120, accepted: 240, assigned: 1440, handling: 7200, resolved: 2880, verified: 4320 }
// The expired-mooncake case: the source reports it handled within 10 minutes of the report.
const MARKET: Deadlines = { reported: 5, accepted: 5, assigned: 10, handling: 60, resolved: 240, verified: 1440 }

function p(postId: string): PostRef {
  const post = POSTS.find(x => x.id === postId)
  if (!post)
    throw new Error(`default catalog names an unknown post: ${postId}`)
  return { sectorId: post.sectorId, postId }
}
const single = (postId: string): Category['responsibility'] => ({ type: 'single', ...p(postId) })
function cross(lead: string, ...helpers: string[]): Category['responsibility'] {
  return { type: 'cross', lead: p(lead), helpers: helpers.map(p) }
}
const COMMUNITY_TASK: Category['responsibility'] = { type: 'community_task' }
const GRID_TASK: Category['responsibility'] = { type: 'grid_task' }

const CATEGORIES: Category[] = [
  // Grid loop: the grid worker's "6+1" list and small street matters.
  { code: 'noise', name: '噪音扰民', nameEn: 'Noise nuisance', severity: 4, loop: 'grid', deadlines: LOW, responsibility: GRID_TASK, weight: 10 },
  { code: 'garbage', name: '垃圾乱堆', nameEn: 'Dumped garbage', severity: 4, loop: 'grid', deadlines: LOW, responsibility: GRID_TASK, weight: 10 },
  { code: 'neighbour_dispute', name: '邻里纠纷', nameEn: 'Neighbour dispute', severity: 4, loop: 'grid', deadlines: NORMAL, responsibility: GRID_TASK, weight: 5 },
  { code: 'elderly_care', name: '独居老人关怀', nameEn: 'Elderly person living alone needs care', severity: 3, loop: 'grid', deadlines: NORMAL, responsibility: GRID_TASK, weight: 3 },
  { code: 'corridor_clutter', name: '楼道杂物堆放', nameEn: 'Clutter in stairwells', severity: 4, loop: 'grid', deadlines: LOW, responsibility: GRID_TASK, weight: 4 },
  { code: 'illegal_parking', name: '违规停车', nameEn: 'Illegal parking', severity: 4, loop: 'grid', deadlines: LOW, responsibility: single('safety.law_enforcement'), weight: 8 },
  { code: 'street_vending', name: '占道经营', nameEn: 'Street vending blocking the road', severity: 4, loop: 'grid', deadlines: LOW, responsibility: single('safety.law_enforcement'), weight: 6 },
  { code: 'fire_lane_blocked', name: '消防通道占用', nameEn: 'Blocked fire lane', severity: 2, loop: 'grid', deadlines: HIGH, responsibility: single('safety.emergency'), weight: 3 },
  { code: 'ebike_charging', name: '电动车违规充电', nameEn: 'Unsafe e-bike charging', severity: 2, loop: 'grid', deadlines: HIGH, responsibility: single('safety.emergency'), weight: 4 },
  // Community loop: community basic tasks and matters a community can settle with a post's help.
  { code: 'streetlight', name: '路灯故障', nameEn: 'Streetlight out', severity: 4, loop: 'community', deadlines: LOW, responsibility: COMMUNITY_TASK, weight: 4 },
  { code: 'stray_animals', name: '流浪动物', nameEn: 'Stray animals', severity: 4, loop: 'community', deadlines: LOW, responsibility: COMMUNITY_TASK, weight: 2 },
  { code: 'fallen_tree', name: '树木倒伏', nameEn: 'Fallen tree', severity: 3, loop: 'community', deadlines: NORMAL, responsibility: COMMUNITY_TASK, weight: 1 },
  { code: 'facility_damage', name: '公共设施损坏', nameEn: 'Damaged public facility', severity: 4, loop: 'community', deadlines: LOW, responsibility: COMMUNITY_TASK, weight: 3 },
  // 5 个工作日办结: the limit a hotline order gives, counted in the Chinese calendar (holidays, 调休).
  { code: 'hardship_relief', name: '困难群众救助', nameEn: 'Hardship relief request', severity: 3, loop: 'community', deadlines: NORMAL, workdays: { handling: 5 }, responsibility: COMMUNITY_TASK, weight: 2 },
  { code: 'property_dispute', name: '物业纠纷', nameEn: 'Property-management dispute', severity: 4, loop: 'community', deadlines: LOW, workdays: { handling: 5 }, responsibility: single('livelihood.property'), weight: 8 },
  { code: 'owners_committee', name: '业委会监管', nameEn: 'Owners\' committee oversight', severity: 4, loop: 'community', deadlines: LOW, responsibility: single('livelihood.property'), weight: 2 },
  { code: 'cooking_fumes', name: '油烟扰民', nameEn: 'Cooking fumes nuisance', severity: 4, loop: 'community', deadlines: LOW, responsibility: single('safety.law_enforcement'), weight: 2 },
  { code: 'illegal_construction', name: '违章建筑', nameEn: 'Illegal construction', severity: 3, loop: 'community', deadlines: NORMAL, responsibility: single('safety.law_enforcement'), weight: 4 },
  { code: 'missing_manhole', name: '井盖缺失', nameEn: 'Missing manhole cover', severity: 2, loop: 'community', deadlines: HIGH, responsibility: single('livelihood.urban'), weight: 1.5 },
  { code: 'sewage_overflow', name: '污水外溢', nameEn: 'Sewage overflow', severity: 3, loop: 'community', deadlines: NORMAL, responsibility: single('livelihood.urban'), weight: 2 },
  { code: 'pest_breeding', name: '病媒孳生', nameEn: 'Pest breeding site', severity: 4, loop: 'community', deadlines: LOW, responsibility: single('livelihood.health'), weight: 1 },
  { code: 'volunteer_request', name: '志愿服务需求', nameEn: 'Volunteer help request', severity: 4, loop: 'community', deadlines: LOW, responsibility: single('party.mass'), weight: 1.5 },
  { code: 'falling_objects', name: '高空抛物', nameEn: 'Objects thrown from height', severity: 3, loop: 'community', deadlines: NORMAL, responsibility: cross('safety.public_security', 'livelihood.property'), weight: 1 },
  { code: 'waterlogging', name: '积水内涝', nameEn: 'Waterlogging', severity: 2, loop: 'community', deadlines: HIGH, responsibility: cross('safety.emergency', 'livelihood.urban'), weight: 3 },
  { code: 'unsafe_building', name: '房屋安全隐患', nameEn: 'Unsafe building', severity: 2, loop: 'community', deadlines: HIGH, responsibility: cross('safety.emergency', 'livelihood.urban', 'livelihood.civil_affairs'), weight: 1.5 },
  // Subdistrict loop: the command center dispatches sector posts.
  { code: 'expired_food', name: '过期食品', nameEn: 'Expired food on sale', severity: 3, loop: 'subdistrict', deadlines: MARKET, responsibility: cross('safety.law_enforcement', 'economy.business_env'), weight: 2 },
  { code: 'unlicensed_business', name: '无证经营', nameEn: 'Unlicensed business', severity: 3, loop: 'subdistrict', deadlines: NORMAL, responsibility: cross('economy.business_env', 'safety.law_enforcement'), weight: 1.5 },
  { code: 'enterprise_request', name: '企业诉求', nameEn: 'Enterprise request', severity: 4, loop: 'subdistrict', deadlines: LOW, responsibility: single('economy.enterprise'), weight: 1 },
  { code: 'wage_arrears', name: '欠薪求助', nameEn: 'Unpaid wages', severity: 3, loop: 'subdistrict', deadlines: NORMAL, responsibility: cross('economy.labor', 'safety.petition'), weight: 1 },
  { code: 'social_insurance', name: '社保咨询', nameEn: 'Social insurance enquiry', severity: 4, loop: 'subdistrict', deadlines: LOW, responsibility: single('livelihood.social_security'), weight: 1 },
  { code: 'petition', name: '信访诉求', nameEn: 'Petition', severity: 3, loop: 'subdistrict', deadlines: NORMAL, responsibility: single('safety.petition'), weight: 2 },
  { code: 'conflict_mediation', name: '矛盾纠纷化解', nameEn: 'Escalated dispute for mediation', severity: 3, loop: 'subdistrict', deadlines: NORMAL, responsibility: cross('safety.mediation', 'safety.petition'), weight: 1 },
  { code: 'party_member_affairs', name: '党员组织关系', nameEn: 'Party membership affairs', severity: 4, loop: 'subdistrict', deadlines: LOW, responsibility: single('party.org'), weight: 0.5 },
  { code: 'cadre_conduct', name: '干部作风投诉', nameEn: 'Complaint about cadre conduct', severity: 3, loop: 'subdistrict', deadlines: NORMAL, responsibility: single('party.discipline'), weight: 0.5 },
  { code: 'gas_leak', name: '燃气泄漏', nameEn: 'Gas leak', severity: 1, loop: 'subdistrict', deadlines: URGENT, responsibility: cross('safety.emergency', 'safety.public_security', 'livelihood.property'), weight: 0.2 },
  { code: 'geological_hazard', name: '地质灾害', nameEn: 'Geological hazard (landslide, subsidence)', severity: 1, loop: 'subdistrict', deadlines: URGENT, responsibility: cross('safety.emergency', 'livelihood.urban', 'livelihood.civil_affairs'), weight: 0.3 },
]

export const DEFAULT_CATALOG: Catalog = { sectors: SECTORS, posts: POSTS, categories: CATEGORIES }
