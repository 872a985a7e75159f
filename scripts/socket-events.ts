// Writes docs/socket-events.md from shared/realtime/catalog.ts (`npm run docs:socket`); a test checks it is current.
import { writeFileSync } from 'node:fs'
import { socketEventsMarkdown } from '../shared/realtime/catalog.ts'

const target = new URL('../docs/socket-events.md', import.meta.url)
writeFileSync(target, socketEventsMarkdown())
console.log(`wrote ${target.pathname}`)
