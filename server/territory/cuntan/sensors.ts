import type { SensorStation } from '../../../shared/sensors/schema.ts'
import type { Grid } from '../../../shared/territory/types.ts'

// Cuntan's sensor stations (sensors.json). The Yangtze at 寸滩水文站 (Changjiang Water Resources Commission's upper
// reaches bureau; levels on the Wusong datum): warning level 180.5 m (Xinhua, 2014-07-02: "未超寸滩180.5米的警戒水位")
// and guaranteed level 183.5 m (CCTV, 2020-08-20: peak 191.62 m "超保8.12米"). Blue (2 m under the warning level, when
// riverside patrols begin) and red (3 m over the guaranteed level, when the riverside streets flood) are this
// subdistrict's own lines, not published ones. The ponding sensors sit on the two lowest roads away from the river.

/** A street's standing water (cm): 30 cm closes it to cars. */
const PONDING = {
  hazard: 'rainstorm',
  thresholds: [
    { level: 'blue', value: 10 },
    { level: 'yellow', value: 20 },
    { level: 'orange', value: 30, label: '车辆禁行', labelEn: 'closed to cars' },
    { level: 'red', value: 50 },
  ],
  hysteresis: 5,
} as const satisfies Pick<SensorStation, 'hazard' | 'thresholds' | 'hysteresis'>

export function cuntanSensors(grids: readonly Grid[]): SensorStation[] {
  const riverside = grids.filter(g => g.riskTags.includes('riverside')).map(g => g.id)
  return [
    {
      id: 'cuntan-hydro',
      name: '寸滩水文站',
      nameEn: 'Cuntan hydrological station',
      kind: 'water_level',
      location: { lon: 106.5955, lat: 29.6205 },
      gridIds: riverside,
      areaDesc: '寸滩街道沿江网格',
      hazard: 'flood',
      thresholds: [
        { level: 'blue', value: 178.5, label: '设防水位', labelEn: 'watch level' },
        { level: 'yellow', value: 180.5, label: '警戒水位', labelEn: 'warning level' },
        { level: 'orange', value: 183.5, label: '保证水位', labelEn: 'guaranteed level' },
        { level: 'red', value: 186.5, label: '沿江街面进水', labelEn: 'riverside streets flood' },
      ],
      hysteresis: 0.3,
      datum: '吴淞高程',
    },
    {
      id: 'ponding-cuntan-07',
      name: '寸滩下穿道积水点',
      nameEn: 'Cuntan grid 7 underpass ponding',
      kind: 'ponding',
      location: { lon: 106.606, lat: 29.6262 },
      gridIds: ['g-cuntan-07'],
      ...PONDING,
    },
    {
      id: 'ponding-heishizi-14',
      name: '黑石子低洼路积水点',
      nameEn: 'Heishizi grid 14 low road ponding',
      kind: 'ponding',
      location: { lon: 106.6505, lat: 29.607 },
      gridIds: ['g-heishizi-14'],
      ...PONDING,
    },
  ]
}
