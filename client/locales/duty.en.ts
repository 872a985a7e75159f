export default {
  duty: {
    leader: 'Leader on duty',
    operators: 'Operators',
    none: 'Not rostered',
    title: 'Duty roster',
    help: 'One leader and some operators a day; the wall\'s header shows today\'s, and they are reached last when nobody answers.',
    day: 'Day',
    save: 'Save',
    saved: 'Saved',
    clear: 'Clear',
    today: 'Today',
    pick: 'Pick',
    stale: 'Someone else changed this day; reloaded',
    weekday: { 0: 'Sun', 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri', 6: 'Sat' },
  },
}
