import type zh from './notify.zh-CN.ts'

// The notification ladder's push and robot channels in English; see notify.zh-CN.ts.

export default {
  notify: {
    reach: {
      reached: 'Reached by',
      app: 'app',
      push: 'push',
      sms: 'SMS',
      none: 'not yet',
      smsOnly: '{n} without a smartphone',
    },
    push: {
      turnOn: 'Turn on task alerts',
      turnOff: 'Turn off',
      state: {
        checking: 'Checking task alerts…',
        off: 'Task alerts are off: a locked phone or a closed page gets no tasks',
        on: 'Task alerts are on: the phone rings with this page closed',
        busy: 'Setting up task alerts…',
        failed: 'Task alerts could not be turned on; try again',
        blocked: 'The browser blocks task alerts: allow notifications for this site in its settings',
        insecure: 'Opened over plain http: browsers allow task alerts on https only',
        unsupported: 'This browser has no task alerts: use the system browser or add the app to the home screen',
      },
    },
    robots: {
      hint: 'Plan tasks and messages can also go to government group-chat robots (WeCom mentions by mobile number; DingTalk signs and mentions; Feishu signs). Tokens in the URL and signing secrets are never shown again once saved.',
      id: 'ID',
      name: 'Name',
      kind: 'Kind',
      kinds: { wecom: 'WeCom / Gov WeChat', dingtalk: 'DingTalk', feishu: 'Feishu / Lark' },
      url: 'Webhook URL',
      urlKeep: 'Leave empty to keep it',
      secret: 'Signing secret',
      secretKeep: 'Leave empty to keep it',
      secretSet: 'set',
      clearSecret: 'Clear the secret',
      communities: 'Communities',
      everyone: 'Everyone',
      enabled: 'Enabled',
      off: 'Disabled',
      edit: 'Edit',
      remove: 'Delete',
      none: 'No robot yet',
    },
  },
} satisfies typeof zh
