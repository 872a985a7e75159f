const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }

/**
 * Escapes text for the few places that insist on HTML strings (ECharts tooltip formatters). Everything else on
 * the wall is rendered as text by Vue or `textContent`; never build markup from incident text without this.
 */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, c => ENTITIES[c]!)
}
