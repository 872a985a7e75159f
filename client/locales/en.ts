import type zh from './zh-CN.ts'

const en: typeof zh = {
  app: {
    title: 'Cuntan Governance Command Center',
    subtitle: 'One Screen',
  },
  conn: {
    connecting: 'Connecting',
    connected: 'Live',
    reconnecting: 'Reconnecting',
    offline: 'Offline',
    lastData: 'Data as of {time}',
    noData: 'No data yet',
  },
  counters: {
    open: 'Open incidents',
    today: 'Reported today',
  },
  map: {
    legend: 'Severity',
    severity: { 1: 'I', 2: 'II', 3: 'III', 4: 'IV' },
    unavailable: 'Map data failed to load, retrying',
  },
  lang: { toggle: '中文' },
}

export default en
