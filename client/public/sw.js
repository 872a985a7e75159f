// OneScreen phone shell (#6). Keeps what the field and leader views need to open without network:
// their HTML shell and the hashed build assets. Never touches /api or /socket.io (live data is the app's
// business: the outbox keeps what the worker sends), and leaves the wall's own navigations alone.
const CACHE = 'onescreen-shell-v1'
const SHELL_PATHS = ['/field', '/m']

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE)
    const res = await fetch('/field', { cache: 'no-store', credentials: 'same-origin' })
    if (!res.ok)
      return
    const html = await res.clone().text()
    await cache.put('/shell.html', res)
    // The entry's script and styles: a phone that installed the app opens it offline the first time too.
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(m => m[1])
    await cache.addAll([...new Set([...assets, '/manifest.webmanifest', '/icons/icon-192.png'])]).catch(() => null)
  })())
  self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== CACHE)
        await caches.delete(key)
    }
    await self.clients.claim()
  })())
})

// The page lists the build files it loaded; keep them (the lazy chunks of the phone views among them).
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'cache' || !Array.isArray(event.data.urls))
    return
  const urls = event.data.urls.filter(u => typeof u === 'string' && u.startsWith('/assets/'))
  event.waitUntil(caches.open(CACHE).then(c => c.addAll(urls)).catch(() => null).finally(() => event.ports[0]?.postMessage('cached')))
})

self.addEventListener('fetch', (event) => {
  const req = event.request
  if (req.method !== 'GET')
    return
  const url = new URL(req.url)
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io'))
    return
  if (req.mode === 'navigate') {
    if (!SHELL_PATHS.includes(url.pathname))
      return
    // Network first (a new deploy is picked up at once), the cached shell when there is no network.
    event.respondWith((async () => {
      try {
        const res = await fetch(req)
        if (res.ok)
          await (await caches.open(CACHE)).put('/shell.html', res.clone())
        return res
      }
      catch {
        return (await caches.match('/shell.html')) ?? Response.error()
      }
    })())
    return
  }
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest') {
    // Hashed file names never change content: cache first, and keep every one fetched (lazy chunks included).
    event.respondWith((async () => {
      const hit = await caches.match(req)
      if (hit)
        return hit
      const res = await fetch(req)
      if (res.ok)
        await (await caches.open(CACHE)).put(req, res.clone())
      return res
    })())
  }
})
