export default {
  app: {
    title: '寸滩街道基层治理指挥中心',
    subtitle: '一屏统揽',
  },
  conn: {
    connecting: '正在连接',
    connected: '实时在线',
    reconnecting: '正在重连',
    offline: '离线',
    lastData: '数据更新于 {time}',
    noData: '尚无数据',
  },
  counters: {
    open: '在办事件',
    today: '今日上报',
  },
  map: {
    legend: '事件等级',
    severity: { 1: 'Ⅰ级', 2: 'Ⅱ级', 3: 'Ⅲ级', 4: 'Ⅳ级' },
    unavailable: '地图数据加载失败，正在重试',
  },
  lang: { toggle: 'EN' },
}
