import type { CapAlert } from '../../../shared/cap/types.ts'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCap } from '../../../shared/cap/parse.ts'
import { MAX_CAP_BYTES } from '../../../shared/kernel/limits.ts'

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/cap/${name}`, import.meta.url), 'utf8')
const EXAMPLE2 = fixture('oasis-example2-thunderstorm.xml')

function parsed(xml: string): CapAlert {
  const r = parseCap(xml)
  if (!r.ok)
    throw new Error(`refused: ${r.error}`)
  return r.alert
}

function refusal(xml: string): { error: string, field?: string } {
  const r = parseCap(xml)
  if (r.ok)
    throw new Error('accepted, expected a refusal')
  return r
}

describe('parseCap on the real CAP 1.2 samples', () => {
  it.each([
    'oasis-example1-homeland.xml',
    'oasis-example2-thunderstorm.xml',
    'oasis-example3-earthquake-update.xml',
    'oasis-example4-amber-two-languages.xml',
    'taiwan-wra-reservoir-zh.cap',
    'noaa-hurricane-multiple-polygons.xml',
  ])('accepts %s', (name) => {
    expect(parseCap(fixture(name))).toMatchObject({ ok: true })
  })

  it('reads the header of the OASIS homeland example, with sent in UTC and the default language', () => {
    const a = parsed(fixture('oasis-example1-homeland.xml'))
    expect(a).toMatchObject({ identifier: '43b080713727', sender: 'hsas@dhs.gov', sent: '2003-04-02T19:39:01.000Z', status: 'Actual', msgType: 'Alert', scope: 'Public', references: [] })
    expect(a.infos[0]).toMatchObject({ language: 'en-US', category: ['Security'], severity: 'Severe', parameters: { HSAS: 'ORANGE' } })
    expect(a.infos[0]!.areas[0]).toEqual({ areaDesc: 'U.S. nationwide and interests worldwide', polygons: [], circles: [], geocodes: {} })
  })

  it('swaps CAP\'s "lat,lon" into GeoJSON [lon, lat] and keeps every geocode', () => {
    const area = parsed(EXAMPLE2).infos[0]!.areas[0]!
    expect(area.polygons).toEqual([[[-120.14, 38.47], [-119.95, 38.34], [-119.74, 38.52], [-119.89, 38.62], [-120.14, 38.47]]])
    expect(area.geocodes).toEqual({ SAME: ['006109', '006009', '006003'] })
    expect(parsed(EXAMPLE2).infos[0]!.expires).toBe('2003-06-17T23:00:00.000Z')
  })

  it('keeps both polygons of the NOAA area and all eight references', () => {
    const a = parsed(fixture('noaa-hurricane-multiple-polygons.xml'))
    expect(a.msgType).toBe('Update')
    expect(a.references).toHaveLength(8)
    expect(a.references[0]).toEqual({ sender: 'w-nws.webmaster@noaa.gov', identifier: 'NWS-IDP-PROD-4410291-3675936', sent: '2020-08-25T15:32:00.000Z' })
    expect(a.references[7]!.identifier).toBe('NWS-IDP-PROD-4411932-3677173')
    const area = a.infos[0]!.areas[0]!
    expect(area.polygons).toHaveLength(2)
    expect(area.polygons[0]).toHaveLength(4)
    expect(area.polygons[1]).toHaveLength(69)
    expect(area.polygons[1]![0]).toEqual([-92.619, 30.094])
    expect(a.infos[0]!.parameters.BLOCKCHANNEL).toBe('EAS; NWEM')
    expect(a.infos[0]!.eventCodes).toEqual({ SAME: 'HUW', NationalWeatherService: 'HUW' })
  })

  it('reads example 3\'s Update: its reference and its circle', () => {
    const a = parsed(fixture('oasis-example3-earthquake-update.xml'))
    expect(a.msgType).toBe('Update')
    expect(a.references).toEqual([{ sender: 'trinet@caltech.edu', identifier: 'TRI13970876.1', sent: '2003-06-12T03:30:00.000Z' }])
    expect(a.infos[0]!.areas[0]!.circles).toEqual([{ center: { lon: -115.5527, lat: 32.9525 }, radiusKm: 0 }])
    expect(a.infos[0]!.parameters.Magnitude).toBe('3.4 Ml')
  })

  it('keeps example 4\'s two info blocks, one per language', () => {
    const a = parsed(fixture('oasis-example4-amber-two-languages.xml'))
    expect(a.infos.map(i => i.language)).toEqual(['en-US', 'es-US'])
    expect(a.infos[1]!.event).toBe('Abducción de Niño')
    expect(a.infos[1]!.areas[0]!.geocodes).toEqual({ SAME: ['006037'] })
  })

  it('reads the Chinese-language Taiwan alert with its parameters and Beijing-time offsets', () => {
    const info = parsed(fixture('taiwan-wra-reservoir-zh.cap')).infos[0]!
    expect(info).toMatchObject({ language: 'zh-tw', event: '水庫洩洪', headline: '明德水庫:洩洪中', senderName: '水利署', effective: '2014-05-14T12:10:00.000Z' })
    expect(info.parameters).toMatchObject({ alert_color: '紅色', severity_level: '一級警戒' })
    expect(info.areas[0]!.geocodes).toEqual({ Taiwan_Geocode_100: ['1000512'] })
  })

  it('refuses the wrong namespace, naming it', () => {
    const r = refusal(fixture('invalid-namespace.cap'))
    expect(r.error).toContain('urn:oasis:names:tc:emergency:alerts:1.2')
    expect(r.error).toContain('urn:oasis:names:tc:emergency:cap:1.2')
    expect(r.field).toBe('alert@xmlns')
  })
})

describe('parseCap namespaces', () => {
  const prefixed = EXAMPLE2
    .replace('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">', '<cap:alert xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2" xmlns:x="urn:example:ext">')
    .replace('</alert>', '<x:extra><x:identifier>not ours</x:identifier></x:extra></cap:alert>')
    .replace(/<(\/?)(?!cap:|x:|\?)([a-zA-Z]+)/g, '<$1cap:$2')

  it('accepts a prefixed cap:alert and ignores elements of other namespaces', () => {
    const a = parsed(prefixed)
    expect(a.identifier).toBe('KSTO1055887203')
    expect(a.infos[0]!.areas[0]!.polygons).toHaveLength(1)
  })

  it('refuses a missing namespace and CAP 1.1', () => {
    expect(refusal(EXAMPLE2.replace(' xmlns="urn:oasis:names:tc:emergency:cap:1.2"', '')).error).toMatch(/no namespace/)
    expect(refusal(EXAMPLE2.replace('cap:1.2', 'cap:1.1')).error).toMatch(/CAP 1\.1; only 1\.2/)
  })

  it('refuses a root that is not alert, naming it', () => {
    expect(refusal('<feed xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>').error).toMatch(/root element is <feed>/)
  })
})

describe('parseCap on broken input', () => {
  it('refuses truncated XML with its line and column', () => {
    const r = refusal(EXAMPLE2.slice(0, EXAMPLE2.indexOf('<polygon>') + 20))
    expect(r.error).toMatch(/^not well-formed XML at line \d+/)
  })

  it.each([
    ['garbage text', 'this is not xml at all', /not well-formed XML at line 1, column 1/],
    ['an empty string', '', /empty/],
    ['whitespace', '  \n ', /empty/],
    ['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaa">]><alert/>', /DOCTYPE/],
  ])('refuses %s', (_label, xml, reason) => {
    expect(refusal(xml).error).toMatch(reason)
  })

  it('refuses a body over MAX_CAP_BYTES before parsing it', () => {
    expect(MAX_CAP_BYTES).toBe(512 * 1024)
    const big = EXAMPLE2.replace('<description>', `<description>${'x'.repeat(2 * 1024 * 1024)}`)
    // The size message comes from the check made before any parsing; what it costs is in bench/cap-refusal.ts.
    expect(refusal(big).error).toMatch(/larger than 512 KiB/)
    // Counted in UTF-8 bytes, not characters: 200 k Chinese characters are 600 KB.
    expect(refusal(EXAMPLE2.replace('<description>', `<description>${'雨'.repeat(200_000)}`)).error).toMatch(/larger than/)
  })

  it.each([
    ['a missing identifier', (x: string) => x.replace(/<identifier>.*<\/identifier>/, ''), /<identifier> is missing/, 'identifier'],
    ['an empty sender', (x: string) => x.replace(/<sender>.*<\/sender>/, '<sender></sender>'), /<sender> is empty/, 'sender'],
    ['a bad msgType', (x: string) => x.replace('<msgType>Alert</msgType>', '<msgType>Warning</msgType>'), /<msgType> is "Warning"; CAP 1.2 allows Alert, Update, Cancel, Ack, Error/, 'msgType'],
    ['a bad status', (x: string) => x.replace('<status>Actual</status>', '<status>Real</status>'), /<status> is "Real"/, 'status'],
    ['a bad scope', (x: string) => x.replace('<scope>Public</scope>', '<scope>public</scope>'), /<scope> is "public"/, 'scope'],
    ['a bad urgency', (x: string) => x.replace('<urgency>Immediate</urgency>', '<urgency>Now</urgency>'), /info 1: <urgency> is "Now"/, 'info[0].urgency'],
    ['a bad severity', (x: string) => x.replace('<severity>Severe</severity>', '<severity>High</severity>'), /<severity> is "High"/, 'info[0].severity'],
    ['a bad certainty', (x: string) => x.replace('<certainty>Observed</certainty>', '<certainty>Sure</certainty>'), /<certainty> is "Sure"/, 'info[0].certainty'],
    ['a bad category', (x: string) => x.replace('<category>Met</category>', '<category>Weather</category>'), /<category> is "Weather"/, 'info[0].category'],
    ['a missing event', (x: string) => x.replace(/<event>.*<\/event>/, ''), /<event> is missing/, 'info[0].event'],
    ['a missing areaDesc', (x: string) => x.replace(/<areaDesc>.*<\/areaDesc>/, ''), /info 1, area 1: <areaDesc> is missing/, 'info[0].area[0].areaDesc'],
    ['a sent without offset', (x: string) => x.replace('2003-06-17T14:57:00-07:00', '2003-06-17T14:57:00'), /<sent> "2003-06-17T14:57:00" is not a date-time with an offset/, 'sent'],
    ['an impossible date', (x: string) => x.replace('2003-06-17T14:57:00-07:00', '2003-02-30T14:57:00-07:00'), /<sent>/, 'sent'],
    ['a bad expires', (x: string) => x.replace('2003-06-17T16:00:00-07:00', 'tomorrow'), /<expires> "tomorrow"/, 'info[0].expires'],
    ['two identifiers', (x: string) => x.replace('<sender>', '<identifier>again</identifier><sender>'), /<identifier> appears 2 times/, 'identifier'],
    ['a polygon not closed', (x: string) => x.replace('38.62,-119.89 38.47,-120.14', '38.62,-119.89 38.40,-120.00'), /<polygon> is not closed/, 'info[0].area[0].polygon[0]'],
    ['a polygon of three points', (x: string) => x.replace('38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14', '38.47,-120.14 38.34,-119.95 38.47,-120.14'), /has 3 points; CAP 1.2 needs at least 4/, 'info[0].area[0].polygon[0]'],
    ['a polygon with lon,lat swapped', (x: string) => x.replace('38.47,-120.14 38.34', '-120.14,38.47 38.34'), /latitude -120.14/, 'info[0].area[0].polygon[0]'],
    ['a circle without radius', (x: string) => x.replace('</areaDesc>', '</areaDesc><circle>38.5,-120.0</circle>'), /<circle> "38.5,-120.0" is not "lat,lon radius"/, 'info[0].area[0].circle[0]'],
    ['a malformed reference', (x: string) => x.replace('<scope>', '<references>KSTO@NWS.NOAA.GOV,KSTO1</references><scope>'), /<references> entry/, 'references'],
    ['an identifier with a space', (x: string) => x.replace('KSTO1055887203', 'KSTO 1055887203'), /contains a space or comma/, 'identifier'],
  ])('refuses %s, naming the element', (_label, edit, reason, field) => {
    const r = refusal(edit(EXAMPLE2))
    expect(r.error).toMatch(reason)
    expect(r.field).toBe(field)
  })

  it('decodes character references and CDATA', () => {
    const a = parsed(EXAMPLE2.replace(/<headline>.*<\/headline>/, '<headline>&#x66B4;&#38632; &amp; <![CDATA[<hail>]]></headline>'))
    expect(a.infos[0]!.headline).toBe('暴雨 & <hail>')
  })
})
