export default {
  duty: {
    leader: '带班领导',
    operators: '值班员',
    none: '未排班',
    title: '值班表',
    help: '每天一名带班领导、若干值班员；大屏页眉显示当日值班，无人应答时最后通知当日值班人员。',
    day: '日期',
    save: '保存',
    saved: '已保存',
    clear: '清空',
    today: '今天',
    pick: '选择',
    stale: '此日值班已被他人修改，已重新载入',
    weekday: { 0: '周日', 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六' },
  },
}
