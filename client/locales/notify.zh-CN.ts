// The notification ladder on the wall's board (#17).
export default {
  notify: {
    reached: '触达',
    app: '应用',
    push: '推送',
    sms: '短信',
    none: '未触达',
    smsOnly: '其中无智能手机 {n} 人',
  },
}
