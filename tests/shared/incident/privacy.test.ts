import type { ReportBody } from '../../../shared/incident/schema.ts'
import { describe, expect, it } from 'vitest'
import { redactIncident } from '../../../shared/incident/privacy.ts'
import { createIncident } from '../../../shared/incident/routing.ts'
import { routingContext, WORKER } from '../fixtures.ts'

const HOTLINE_CALL: ReportBody = {
  category: 'waterlogging',
  description: '路口积水',
  location: { lon: 106.605, lat: 29.585 },
  channel: 'hotline_12345',
  reporterName: '张三',
  reporterPhone: '13800000000',
  hotline: { orderNo: 'GD20261207001', caller: '张三', callerPhone: '13800000000', dueAt: '2026-12-09T10:00:00.000Z' },
  mediaUrl: 'https://example.org/p.jpg',
  attributes: { depth: '30cm' },
}

function reported() {
  const made = createIncident('inc_1', HOTLINE_CALL, WORKER, routingContext())
  if (!made.ok)
    throw new Error(made.message)
  return made.incident
}

describe('a report carries what the sending system sent', () => {
  it('keeps the 12345 order, media link and attributes', () => {
    const inc = reported()
    expect(inc.hotline).toEqual({ orderNo: 'GD20261207001', caller: '张三', callerPhone: '13800000000', dueAt: '2026-12-09T10:00:00.000Z', requests: [], marks: [] })
    expect(inc.mediaUrl).toBe('https://example.org/p.jpg')
    expect(inc.attributes).toEqual({ depth: '30cm' })
  })
})

describe('redactIncident', () => {
  it('strips the reporter and the 12345 caller, keeps the order', () => {
    const out = redactIncident(reported())
    expect(out.reporterName).toBeUndefined()
    expect(out.reporterPhone).toBeUndefined()
    expect(out.hotline).toEqual({ orderNo: 'GD20261207001', dueAt: '2026-12-09T10:00:00.000Z', requests: [], marks: [] })
  })

  it('hands back the same object when there is nothing personal', () => {
    const { reporterName: _n, reporterPhone: _p, hotline: _h, ...plain } = reported()
    expect(redactIncident(plain)).toBe(plain)
  })
})
