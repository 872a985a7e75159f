// The notification ladder (#17): the board's reach per channel, the phone's task alerts and the admin's robots.
// Merged into the app's i18n by client/notify/i18n.ts, client/screens/field/push.ts and AdminRobots.vue.

export default {
  notify: {
    reach: {
      reached: '触达',
      app: '应用',
      push: '推送',
      sms: '短信',
      none: '未触达',
      smsOnly: '其中无智能手机 {n} 人',
    },
    push: {
      turnOn: '开启任务提醒',
      turnOff: '关闭',
      state: {
        checking: '正在检查任务提醒…',
        off: '任务提醒未开启：手机锁屏或关闭本页时收不到任务',
        on: '任务提醒已开启：关闭本页也会响铃',
        busy: '正在设置任务提醒…',
        failed: '开启任务提醒失败，请重试',
        blocked: '任务提醒已被浏览器阻止：请在浏览器设置中允许本站通知',
        insecure: '当前为 http 访问，浏览器不支持任务提醒（需 https）',
        unsupported: '此浏览器不支持任务提醒，请用系统浏览器或添加到主屏幕',
      },
    },
    robots: {
      hint: '预案任务和通知可经政务群机器人提醒（企业微信/政务微信按手机号 {\'@\'} 人，钉钉加签并 {\'@\'} 人，飞书签名校验）。地址中的令牌和加签密钥保存后不再显示。',
      id: '编号',
      name: '名称',
      kind: '类型',
      kinds: { wecom: '企业微信 / 政务微信', dingtalk: '钉钉 / 浙政钉', feishu: '飞书' },
      url: 'Webhook 地址',
      urlKeep: '留空则保持不变',
      secret: '加签密钥',
      secretKeep: '留空则保持不变',
      secretSet: '已设置',
      clearSecret: '清除密钥',
      communities: '覆盖社区',
      everyone: '全部人员',
      enabled: '启用',
      off: '已停用',
      edit: '编辑',
      remove: '删除',
      none: '尚未配置机器人',
    },
  },
}
