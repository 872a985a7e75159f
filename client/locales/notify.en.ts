// The notification ladder on the wall's board (#17).
export default {
  notify: {
    reached: 'Reached by',
    app: 'app',
    push: 'push',
    sms: 'SMS',
    none: 'not yet',
    smsOnly: '{n} without a smartphone',
  },
}
