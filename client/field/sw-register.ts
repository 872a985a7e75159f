// The service worker (client/public/sw.js) keeps the app shell so the installed field view opens in a dead spot.
// Browsers allow it only on https or localhost; on a plain-http LAN the view still works online, with the outbox.
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext)
    return
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(err => console.warn('[sw] registration failed', err))
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
