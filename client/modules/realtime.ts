import type { App } from 'vue'
import { watch } from 'vue'
import { useSessionStore } from '../auth/store.ts'
import { useIncidentsStore } from '../incident/store.ts'
import { usePositionsStore } from '../realtime/positions-store.ts'
import { keepConnected, provideSince, socket } from '../realtime/socket.ts'
import { useConnectionStore } from '../realtime/store.ts'
import { useAlarmStore } from '../screens/wall/alarm-store.ts'
import { useFeedStore } from '../screens/wall/feed-store.ts'
import { useStatsStore } from '../stats/store.ts'
import { useBasemapStore } from '../territory/basemap-store.ts'
import { useReferenceStore } from '../territory/reference-store.ts'
import { useTerritoryStore } from '../territory/store.ts'
import { pinia } from './pinia.ts'

const PRUNE_EVERY_MS = 10 * 60_000

// Binds the stores to the one socket and to each other's events, then opens it. Runs after the pinia module.
export function install(_app: App): void {
  const incidents = useIncidentsStore(pinia)
  const feed = useFeedStore(pinia)
  const alarm = useAlarmStore(pinia)
  const stats = useStatsStore(pinia)
  const basemap = useBasemapStore(pinia)
  useConnectionStore(pinia).bind(socket)
  incidents.bind(socket)
  usePositionsStore(pinia).bind(socket)
  incidents.onSnapshot((snapshot) => {
    feed.seed(snapshot)
    stats.nudge()
    void basemap.load(true).catch(() => {})
  })
  const reference = useReferenceStore(pinia)
  const territory = useTerritoryStore(pinia)
  incidents.onApplied((changes) => {
    feed.apply(changes)
    alarm.apply(changes)
    basemap.apply(changes)
    stats.nudge()
  })
  // A new subdistrict package: names, people, grids and the title are loaded again and the maps redraw from them;
  // a new basemap is drawn. Announced to every socket, phones included (they take no stream).
  let referenceVersion = 0
  socket.on('reference:changed', (e) => {
    if (e.kind === 'basemap') {
      void basemap.load(true).catch(err => console.warn('[basemap] reload failed', err))
      return
    }
    if (e.version <= referenceVersion)
      return
    referenceVersion = e.version
    void Promise.all([reference.packageApplied(), territory.reload()]).catch(err => console.warn('[reference] reload failed', err))
    stats.nudge()
  })
  provideSince(() => ({ since: incidents.seq, epoch: incidents.epoch }))
  const session = useSessionStore(pinia)
  keepConnected(socket, () => session.recover())
  setInterval(() => incidents.prune(), PRUNE_EVERY_MS)
  // The server refuses a socket without a session: open it once someone (or the wall display) is signed in, and
  // again whenever a sign-in follows a signed-out page, never before (a refused handshake is only console noise).
  watch(() => session.me !== null, (signedIn) => {
    if (signedIn && !socket.connected && !socket.active)
      socket.connect()
  })
  watch(() => session.principal?.id, (now, before) => {
    if (before !== undefined && now !== before)
      void reference.reload().catch(err => console.warn('[reference] reload failed', err))
  })
  void session.refresh().catch(err => console.warn('[session] /api/auth/me failed', err))
}
