import type { Plan, TaskTemplate } from './schema.ts'

// The demo's plans (预案). Data, editable by admin and commander through the API; these are the first versions.

const AT = '2026-07-01T00:00:00.000Z'

function template(t: Partial<TaskTemplate> & Pick<TaskTemplate, 'id' | 'title' | 'instructions' | 'ackMinutes' | 'arriveMinutes'>): TaskTemplate {
  return { rosterRoles: [], forceKinds: [], roles: [], riskTags: [], communityIds: [], ...t }
}

/** The July extreme rainstorm: every riverside, low-lying and slope grid manned within 20–45 minutes. */
export const JULY_RAINSTORM_PLAN: Plan = {
  id: 'rainstorm-red',
  version: 1,
  name: '暴雨红色预警 I级应急响应预案',
  hazard: 'rainstorm',
  level: 1,
  suggestedBy: { hazards: ['rainstorm', 'flood'], minColour: 'orange' },
  deadlineFactor: 0.5,
  message: '江北区气象台发布暴雨红色预警，寸滩街道启动I级应急响应。请立即确认任务，按预案到岗到位，重点巡查低洼路段、边坡和老旧楼栋，必要时组织群众转移至避难场所。',
  templates: [
    template({ id: 'patrol', title: '网格巡查与人员转移', instructions: '巡查网格内低洼路段、边坡和老旧楼栋，劝离危险区域人员，发现险情立即上报', rosterRoles: ['worker'], riskTags: ['riverside', 'low_lying', 'slope'], ackMinutes: 5, arriveMinutes: 20 }),
    template({ id: 'supervise', title: '网格指导员到岗督导', instructions: '到所联系网格督导巡查与转移，核实独居老人、残障人员去向', rosterRoles: ['instructor'], riskTags: ['riverside', 'low_lying', 'slope'], ackMinutes: 10, arriveMinutes: 30 }),
    template({ id: 'drainage', title: '排涝抢险', instructions: '携带水泵赶赴低洼路段排涝，清疏堵塞雨水口', forceKinds: ['water'], riskTags: ['riverside', 'low_lying'], ackMinutes: 10, arriveMinutes: 30 }),
    template({ id: 'power', title: '涉水电力设施巡检', instructions: '巡检低洼区域配电箱和地下配电房，必要时断电并设置警示', forceKinds: ['power'], riskTags: ['low_lying'], ackMinutes: 10, arriveMinutes: 40 }),
    template({ id: 'evacuate', title: '协助群众转移安置', instructions: '协助转移沿江和老旧楼栋群众至避难场所，登记安置人数', forceKinds: ['volunteer', 'property'], riskTags: ['riverside', 'old_building'], ackMinutes: 15, arriveMinutes: 45 }),
    template({ id: 'lead', title: '包联领导到岗指挥', instructions: '赶赴所包联沿江网格现场指挥，每30分钟向指挥中心报告', rosterRoles: ['contactLeader'], riskTags: ['riverside'], ackMinutes: 10, arriveMinutes: 30 }),
  ],
  resources: [
    { kind: 'pump', qty: 12, note: '前置到沿江低洼路段' },
    { kind: 'sandbag', qty: 3000, note: '分发至各沿江网格驿站' },
    { kind: 'vehicle', qty: 4, note: '转移车辆待命' },
    { kind: 'boat', qty: 2, note: '冲锋舟待命' },
  ],
  updatedAt: AT,
}

export const LANDSLIDE_PLAN: Plan = {
  id: 'landslide',
  version: 1,
  name: '地质灾害（边坡）II级应急响应预案',
  hazard: 'landslide',
  level: 2,
  suggestedBy: { hazards: ['landslide', 'rainstorm'], minColour: 'yellow' },
  deadlineFactor: 0.6,
  message: '地质灾害气象风险预警，请边坡网格立即巡查，发现裂缝、渗水、落石立即撤离并上报。',
  templates: [
    template({ id: 'slope-patrol', title: '边坡巡查', instructions: '巡查边坡及坡下住户，发现裂缝、渗水、落石立即组织撤离', rosterRoles: ['worker', 'instructor'], riskTags: ['slope'], ackMinutes: 10, arriveMinutes: 30 }),
  ],
  resources: [{ kind: 'vehicle', qty: 2, note: '转移车辆待命' }],
  updatedAt: AT,
}

export const GAS_PLAN: Plan = {
  id: 'gas-leak',
  version: 1,
  name: '燃气泄漏II级应急响应预案',
  hazard: 'gas',
  level: 2,
  suggestedBy: { hazards: ['gas'], minColour: 'yellow' },
  deadlineFactor: 0.5,
  message: '燃气泄漏应急响应：燃气、消防力量立即赶赴现场，网格员疏散周边群众。',
  templates: [
    template({ id: 'gas-crew', title: '燃气抢修', instructions: '关阀、检测、抢修', forceKinds: ['gas', 'fire'], ackMinutes: 5, arriveMinutes: 15 }),
  ],
  resources: [],
  updatedAt: AT,
}

export const DEFAULT_PLANS: Plan[] = [JULY_RAINSTORM_PLAN, LANDSLIDE_PLAN, GAS_PLAN]
