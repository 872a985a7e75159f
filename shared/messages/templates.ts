/** A ready-made text the sender starts from; choosing one fills the text box, which stays editable. */
export interface MessageTemplate {
  id: string
  /** zh-CN: the messages go to people in Cuntan; the sender's UI language does not change what they read. */
  title: string
  text: string
}

export const MESSAGE_TEMPLATES: readonly MessageTemplate[] = [
  {
    id: 'rain-evacuate',
    title: '暴雨预警转移通知',
    text: '【暴雨预警】气象台发布暴雨预警，请立即组织低洼地带、危旧房和边坡下方住户转移至就近避难场所，逐户核实、不漏一人，完成后在手机上回复。',
  },
  {
    id: 'report-to-post',
    title: '到岗指令',
    text: '【到岗指令】请于30分钟内到达所包网格岗位，到岗后在手机上报告到场，保持通讯畅通。',
  },
  {
    id: 'meeting',
    title: '会议通知',
    text: '【会议通知】今天16:00在街道指挥中心召开调度会，请准时参加，不能参加的向指挥长请假。',
  },
  {
    id: 'patrol',
    title: '巡查提醒',
    text: '【巡查提醒】请今日内完成所包网格重点部位巡查，发现问题随手上报。',
  },
  {
    id: 'all-clear',
    title: '预警解除通知',
    text: '【预警解除】预警已解除，转移群众可有序返回，请做好返回安全检查和情况报告。',
  },
]
