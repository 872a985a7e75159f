export default {
  sensors: {
    title: 'Sensors',
    noData: 'No data',
    next: '{gap} under {label}',
    over: '{gap} over {label}',
    level: { blue: 'Blue', yellow: 'Yellow', orange: 'Orange', red: 'Red', none: 'Normal' },
    stale: '{minutes} min ago',
  },
}
