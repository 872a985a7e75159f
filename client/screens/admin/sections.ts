import type { Component } from 'vue'
import type { Permission } from '../../../shared/auth/authz.ts'
import adminZhCN from '../../locales/admin.zh-CN.ts'
import { mergeStrings } from '../../modules/i18n.ts'

// The admin console's sections: one entry each, so a section is added here and nowhere else. Who sees a section
// is the server's rule (shared/auth/authz.ts, through the session store's `may`); the server refuses anyway.

export interface AdminSection {
  id: string
  zh: string
  en: string
  /** The component's file in this folder. */
  file: string
  /** The permission that shows the section. */
  permission: Permission
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  // Sections other engineers add: each shows once its file exists in this folder (see `loaders` below).
  { id: 'setup', zh: '设置向导', en: 'Setup', file: './AdminSetup.vue', permission: 'reference:edit' },
  { id: 'accounts', zh: '账号', en: 'Accounts', file: './AdminAccounts.vue', permission: 'user:manage' },
  { id: 'reference', zh: '辖区数据', en: 'Reference data', file: './AdminReference.vue', permission: 'reference:export' },
  { id: 'basemap', zh: '底图', en: 'Basemap', file: './AdminBasemap.vue', permission: 'basemap:edit' },
  { id: 'plans', zh: '预案', en: 'Plans', file: './AdminPlans.vue', permission: 'plan:edit' },
  { id: 'scoring', zh: '积分规则', en: 'Scoring', file: './AdminScoring.vue', permission: 'reference:edit' },
  { id: 'share-links', zh: '分享链接', en: 'Share links', file: './AdminShareLinks.vue', permission: 'share:create' },
  { id: 'devices', zh: '大屏设备', en: 'Wall devices', file: './AdminDevices.vue', permission: 'device:enroll' },
  { id: 'api-keys', zh: '接口密钥', en: 'API keys', file: './AdminApiKeys.vue', permission: 'device:enroll' },
  { id: 'webhooks', zh: '结果回调', en: 'Webhooks', file: './AdminWebhooks.vue', permission: 'webhook:manage' },
  { id: 'audit', zh: '审计日志', en: 'Audit', file: './AdminAudit.vue', permission: 'audit:read' },
  { id: 'cases', zh: '历史工单导入', en: 'Case import', file: './AdminCases.vue', permission: 'cases:import' },
  { id: 'robots', zh: '群机器人', en: 'Chat robots', file: './AdminRobots.vue', permission: 'webhook:manage' },
]

/** Every section component that exists: a section whose file is not written yet is simply not listed. */
const loaders = import.meta.glob<{ default: Component }>('./Admin*.vue')

export function loaderOf(s: AdminSection): (() => Promise<{ default: Component }>) | undefined {
  return loaders[s.file]
}

/** The sections this caller sees, in order. */
export function sectionsFor(may: (p: Permission) => boolean): AdminSection[] {
  return ADMIN_SECTIONS.filter(s => loaderOf(s) && may(s.permission))
}

/** Adds the console's strings when it loads. */
export const installAdminMessages = (): void => mergeStrings(adminZhCN)
