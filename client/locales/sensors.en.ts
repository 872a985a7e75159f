export default {
  sensors: {
    title: 'Sensors',
    noData: 'No data',
    next: '{gap} below {label}',
    over: '{gap} above {label}',
    level: { blue: 'Blue', yellow: 'Yellow', orange: 'Orange', red: 'Red', none: 'Normal' },
    line: { blue: 'blue level', yellow: 'yellow level', orange: 'orange level', red: 'red level' },
    stale: '{minutes} min ago',
  },
}
