import type { InfoReportSettings } from '../../../shared/inforeport/rules.ts'
import { Type } from 'typebox'
import { FOLLOW_UP_BOUNDS } from '../../../shared/inforeport/rules.ts'
import { jsonSetting } from './json-setting.ts'

// inforeports.json (optional): the information reports' deadlines (docs/inforeport.md), for every plan and per
// plan id. Absent = the defaults in shared/inforeport/rules.ts.

export const INFOREPORTS_FILE = 'inforeports.json'

const Minutes = (max: number) => Type.Optional(Type.Integer({ minimum: 0, maximum: max }))
const Times = Type.Object({
  initialMinutes: Minutes(24 * 60),
  followUpMinutes: Type.Optional(Type.Integer({ minimum: FOLLOW_UP_BOUNDS.min, maximum: FOLLOW_UP_BOUNDS.max })),
  finalMinutes: Minutes(7 * 24 * 60),
  leadMinutes: Minutes(120),
}, { additionalProperties: false })

export const readInfoReports = jsonSetting<InfoReportSettings>(INFOREPORTS_FILE, Type.Object({
  ...Times.properties,
  plans: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 40 }), Times)),
}, { additionalProperties: false }), { zh: '信息报送时限设置', en: 'information report deadlines' })
