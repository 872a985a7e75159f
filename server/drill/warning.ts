import type { Plan, Warning } from '../../shared/schemas/wartime.ts'
import type { Api } from './api.ts'
import { suggestPlans } from '../../shared/domain/plans.ts'
import { ApiError } from './api.ts'

// Step 1 of the drill: the red rainstorm warning arrives as CAP 1.2 from the integration key and the server
// proposes a plan. Isolated here because POST /api/cap lands separately.

export const INTEGRATION_KEY = 'demo-integration-key'

const iso = (d: Date) => `${d.toISOString().slice(0, 19)}+00:00`

/**
 * A red rainstorm warning for Jiangbei, as the district observatory would send it.
 * TODO(#5): use julyRainstormCap(now) from shared/cap/samples.ts once it lands.
 */
export function rainstormCap(now: Date): string {
  const id = `drill-${now.getTime()}`
  const expires = new Date(now.getTime() + 6 * 3600_000)
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${id}</identifier>
  <sender>jiangbei-qxt@cq.cma.gov.cn</sender>
  <sent>${iso(now)}</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <effective>${iso(now)}</effective>
    <expires>${iso(expires)}</expires>
    <senderName>江北区气象台</senderName>
    <headline>江北区气象台发布暴雨红色预警信号</headline>
    <description>过去3小时江北区寸滩、五里店等地降雨量已达100毫米以上，且降雨将持续，沿江低洼地带、边坡须防范积水和地质灾害。</description>
    <instruction>政府及相关部门按照职责做好防暴雨应急和抢险工作；停止集会、停课、停业（除特殊行业外）；做好山洪、滑坡、泥石流等灾害的防御和抢险工作。</instruction>
    <parameter><valueName>color</valueName><value>red</value></parameter>
    <area>
      <areaDesc>重庆市江北区</areaDesc>
      <polygon>29.55,106.52 29.55,106.66 29.62,106.66 29.62,106.52 29.55,106.52</polygon>
      <geocode><valueName>GB/T 2260</valueName><value>500105</value></geocode>
    </area>
  </info>
</alert>
`
}

export interface WarningStep {
  warning: Warning | null
  proposal: { planId: string, planName: string } | null
  /** Set when /api/cap could not be used and the proposal came from the plan library instead. */
  problem: string | null
}

export async function postWarning(api: Api, now: Date, plans: () => Promise<Plan[]>): Promise<WarningStep> {
  try {
    const warning = await api.postText<Warning>('/api/cap', { bearer: INTEGRATION_KEY }, rainstormCap(now), 'application/xml')
    return { warning, proposal: warning.proposal, problem: warning.proposal ? null : '预警未给出预案建议' }
  }
  catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404)
      throw e
    // TODO(#5): remove once POST /api/cap is on main; until then the proposal is the one the server would make.
    const best = suggestPlans((await plans()).filter(p => !p.id.endsWith('-drill')), { hazard: 'rainstorm', colour: 'red' })[0]
    return { warning: null, proposal: best ? { planId: best.id, planName: best.name } : null, problem: 'POST /api/cap 尚不可用（404），预案建议改由预案库按同一规则得出' }
  }
}
