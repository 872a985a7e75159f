// The service worker (client/public/sw.js) keeps the app shell so the installed field view opens in a dead spot.
// Browsers allow it only on https or localhost; on a plain-http LAN the view still works online, with the outbox.
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext)
    return
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(err => console.warn('[sw] registration failed', err))
  // The chunks this page loaded before the worker took control (the lazy page code, its styles) go into its
  // cache too, so the next start without network finds them. The worker answers when they are stored.
  void navigator.serviceWorker.ready.then((reg) => {
    setTimeout(() => {
      const urls = performance.getEntriesByType('resource').map(e => new URL(e.name)).filter(u => u.origin === location.origin && u.pathname.startsWith('/assets/')).map(u => u.pathname)
      const channel = new MessageChannel()
      channel.port1.onmessage = () => (document.documentElement.dataset.shell = 'cached')
      reg.active?.postMessage({ type: 'cache', urls }, [channel.port2])
    }, 1000)
  })
}

/** The web app manifest, linked only from the phone views (the wall is not an app to install). */
export function linkManifest(): void {
  if (document.querySelector('link[rel="manifest"]'))
    return
  const link = document.createElement('link')
  link.rel = 'manifest'
  link.href = '/manifest.webmanifest'
  document.head.append(link)
  const theme = document.createElement('meta')
  theme.name = 'theme-color'
  theme.content = '#0a1020'
  document.head.append(theme)
}
