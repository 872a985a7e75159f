import type { Message, MessageBody } from '../../shared/messages/schema.ts'
import type { Change } from '../../shared/sync/schema.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef, triggerRef } from 'vue'
import { getJson, sendJson } from '../ui/http.ts'
import { opId } from '../ui/ids.ts'

/** The most messages a screen keeps: the wall runs for weeks, and only the latest few are ever shown. */
const KEEP = 50

/**
 * Sent messages with their receipts, as the senders' desks and the wall hold them: loaded once (and after a
 * snapshot), then kept live from the change log, each message by version (a receipt is a new version).
 */
export const useMessagesStore = defineStore('messages', () => {
  const byId = shallowRef(new Map<string, Message>())
  const loaded = shallowRef(false)
  const sending = shallowRef(false)

  const list = computed(() => [...byId.value.values()].sort((a, b) => b.sentAt.localeCompare(a.sentAt) || b.id.localeCompare(a.id)))
  const latest = computed(() => list.value[0] ?? null)

  /** Keeps the newer version; answers whether anything changed. */
  function hold(m: Message): boolean {
    const held = byId.value.get(m.id)
    if (held && held.version >= m.version)
      return false
    byId.value.set(m.id, m)
    return true
  }

  function bound(): void {
    if (byId.value.size > KEEP) {
      for (const m of list.value.slice(KEEP)) byId.value.delete(m.id)
    }
    triggerRef(byId)
  }

  async function load(): Promise<void> {
    const all = await getJson<Message[]>('/api/messages')
    all.forEach(hold)
    loaded.value = true
    bound()
  }

  /** Message changes from the live log, in seq order. */
  function apply(changes: readonly Change[]): void {
    let changed = false
    for (const c of changes) {
      if (c.kind === 'message')
        changed = hold(c.data) || changed
    }
    if (changed)
      bound()
  }

  /** Sends once: a retry after a lost answer carries the same key, so nobody gets it twice. */
  async function send(body: MessageBody, key = opId()): Promise<Message> {
    sending.value = true
    try {
      const m = await sendJson<Message>('/api/messages', body, { headers: { 'idempotency-key': key } })
      if (hold(m))
        bound()
      return m
    }
    finally {
      sending.value = false
    }
  }

  return { byId, loaded, sending, list, latest, hold, load, apply, send }
})
