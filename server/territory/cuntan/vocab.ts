import type { Vocabulary } from '../../../shared/territory/types.ts'

// Cuntan's own lists of kinds: the "grid + N forces" of the source plus grid supervisors, the risk tags its grids
// carry, the kinds of risk points and the resources its depots stock.

export const CUNTAN_FORCE_KINDS: Vocabulary[] = [
  { id: 'water', name: '水', nameEn: 'Water' },
  { id: 'power', name: '电', nameEn: 'Power' },
  { id: 'gas', name: '气', nameEn: 'Gas' },
  { id: 'telecom', name: '讯', nameEn: 'Telecom' },
  { id: 'fire', name: '消防', nameEn: 'Fire' },
  { id: 'property', name: '物业', nameEn: 'Property' },
  { id: 'finance', name: '金融', nameEn: 'Finance' },
  { id: 'volunteer', name: '志愿者', nameEn: 'Volunteers' },
  { id: 'supervisor', name: '监督员', nameEn: 'Supervisors' },
]

export const CUNTAN_RISK_TAGS: Vocabulary[] = [
  { id: 'low_lying', name: '低洼', nameEn: 'Low-lying' },
  { id: 'slope', name: '边坡', nameEn: 'Slope' },
  { id: 'old_building', name: '老旧房屋', nameEn: 'Old buildings' },
  { id: 'riverside', name: '沿江', nameEn: 'Riverside' },
]

export const CUNTAN_RISK_POINT_KINDS: Vocabulary[] = [
  { id: 'low_lying_road', name: '低洼路段', nameEn: 'Low-lying road' },
  { id: 'slope', name: '边坡', nameEn: 'Slope' },
  { id: 'old_building', name: '老旧楼栋', nameEn: 'Old building' },
]

export const CUNTAN_RESOURCE_KINDS: Vocabulary[] = [
  { id: 'pump', name: '水泵', nameEn: 'Pumps' },
  { id: 'sandbag', name: '沙袋', nameEn: 'Sandbags' },
  { id: 'vehicle', name: '车辆', nameEn: 'Vehicles' },
  { id: 'generator', name: '发电机', nameEn: 'Generators' },
  { id: 'boat', name: '冲锋舟', nameEn: 'Boats' },
  { id: 'lifejacket', name: '救生衣', nameEn: 'Life jackets' },
]
