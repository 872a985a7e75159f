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

// Web Push (#17): a task or a message rings a phone whose page is closed. The server's payload is
// { deliveryId, title, body, link, subject: { kind, id }, ack } (server/notify/push.ts); showing it sends the
// receipt that marks the delivery delivered. Everything here is best effort: a failed receipt or 收到 never throws.
self.addEventListener('push', (event) => {
  let p = null
  try {
    p = event.data ? event.data.json() : null
  }
  catch {
    p = null
  }
  if (!p || typeof p.title !== 'string') {
    // A push must show something (userVisibleOnly): an unreadable one still says where to look.
    event.waitUntil(self.registration.showNotification('一屏统揽 OneScreen', { body: '有新的任务或通知 New task or message', icon: '/icons/icon-192.png' }))
    return
  }
  const task = p.subject && p.subject.kind === 'task'
  event.waitUntil(Promise.all([
    self.registration.showNotification(p.title, {
      body: p.body,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      // One notification per task or message: a re-send replaces it and rings again.
      tag: p.subject ? `${p.subject.kind}:${p.subject.id}` : p.deliveryId,
      renotify: true,
      requireInteraction: Boolean(task || p.ack),
      vibrate: [300, 100, 300, 100, 300],
      actions: p.ack ? [{ action: 'ack', title: '收到' }] : [],
      data: p,
    }),
    pushReceipt(p.deliveryId),
  ]).catch(() => null))
})

/** The session's CSRF token, asked for with the phone's own cookie (the page's copy is not reachable from here). */
async function csrfToken() {
  const res = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } })
  return res.ok ? (await res.json()).csrf : null
}

async function pushReceipt(deliveryId) {
  try {
    const csrf = await csrfToken()
    if (!csrf || !deliveryId)
      return
    await fetch('/api/push/receipt', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ deliveryId }) })
  }
  catch {}
}

/** 收到 from the notification: a POST to the signed link acknowledges (no session needed); true when it did. */
async function acknowledge(link) {
  try {
    const res = await fetch(link, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json, text/html' } })
    return res.ok
  }
  catch {
    return false
  }
}

self.addEventListener('notificationclick', (event) => {
  const p = event.notification.data || {}
  event.notification.close()
  event.waitUntil((async () => {
    if (event.action === 'ack' && p.link && await acknowledge(p.link))
      return
    // Open the app at the task (an open field view is focused), or else the link, whose page acknowledges too.
    const target = p.subject && p.subject.kind === 'task' ? '/field?tab=tasks' : '/field'
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
    const open = windows.find(w => new URL(w.url).pathname === '/field')
    if (open) {
      await open.focus()
      if (open.navigate)
        await open.navigate(target).catch(() => null)
      return
    }
    await self.clients.openWindow(p.link || target)
  })())
})
