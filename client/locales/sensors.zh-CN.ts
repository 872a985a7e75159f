export default {
  sensors: {
    title: '实时监测',
    noData: '暂无数据',
    next: '距{label} {gap}',
    over: '超{label} {gap}',
    level: { blue: '蓝', yellow: '黄', orange: '橙', red: '红', none: '正常' },
    /** A line named by its colour, where its published label is not in the wall's language. */
    line: { blue: '蓝色线', yellow: '黄色线', orange: '橙色线', red: '红色线' },
    stale: '{minutes} 分钟前',
  },
}
