import { localIso, localParts } from '../kernel/time.ts'

// A realistic red rainstorm warning for Jiangbei, as the district observatory would send it under GB/T 35965.1:
// the drill and the demo post it to /api/cap. INVENTED text and polygon; the shape follows the national feed.

function beijing(at: Date): { iso: string, stamp: string, label: string } {
  const { year, month0, day, hour, minute, second } = localParts(at)
  const p = (n: number) => String(n).padStart(2, '0')
  return {
    iso: localIso(at),
    stamp: `${year}${p(month0 + 1)}${p(day)}${p(hour)}${p(minute)}${p(second)}`,
    label: `${day}日${hour}时${minute}分`,
  }
}

/** The north bank of the Yangtze from Jiangbeizui to Cuntan port, "lat,lon" as CAP writes it. */
const NORTH_BANK = [
  '29.640,106.590',
  '29.640,106.660',
  '29.592,106.660',
  '29.598,106.645',
  '29.604,106.630',
  '29.615,106.625',
  '29.621,106.612',
  '29.617,106.590',
  '29.640,106.590',
].join(' ')

/** `sender` and the GB/T identifier's issuer: Jiangbei (500105), meteorological service (416). */
export const JULY_RAINSTORM_SENDER = '重庆市江北区气象台'

/** A CAP 1.2 red rainstorm warning (暴雨红色预警) for Jiangbei, sent at `now`, valid for 12 hours. */
export function julyRainstormCap(now: Date): string {
  const sent = beijing(now)
  const expires = beijing(new Date(now.getTime() + 12 * 3600_000))
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>50010541600000_${sent.stamp}</identifier>
  <sender>${JULY_RAINSTORM_SENDER}</sender>
  <sent>${sent.iso}</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨红色预警</event>
    <responseType>Prepare</responseType>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Likely</certainty>
    <eventCode>
      <valueName>GB/T 35965.1</valueName>
      <value>11B03</value>
    </eventCode>
    <effective>${sent.iso}</effective>
    <expires>${expires.iso}</expires>
    <senderName>${JULY_RAINSTORM_SENDER}</senderName>
    <headline>江北区气象台发布暴雨红色预警信号</headline>
    <description>江北区气象台${sent.label}发布暴雨红色预警信号：过去3小时寸滩、郭家沱等街道降雨量已达100毫米以上，且降雨将持续，未来3小时江北区沿江地区降雨量将达100毫米以上，长江寸滩段水位快速上涨。</description>
    <instruction>1. 政府及相关部门按照职责做好防御暴雨应急和抢险工作；2. 停止集会、停课、停业（除特殊行业外）；3. 立即转移低洼地段、危旧房屋和地质灾害隐患点人员；4. 做好山洪、滑坡、泥石流等灾害的防御工作。</instruction>
    <parameter>
      <valueName>alert_color</valueName>
      <value>红色</value>
    </parameter>
    <parameter>
      <valueName>severity_level</valueName>
      <value>Ⅰ级</value>
    </parameter>
    <area>
      <areaDesc>重庆市江北区沿江地区（寸滩街道、郭家沱街道、江北城街道）</areaDesc>
      <polygon>${NORTH_BANK}</polygon>
      <geocode>
        <valueName>GB/T 2260</valueName>
        <value>500105</value>
      </geocode>
    </area>
  </info>
</alert>
`
}
