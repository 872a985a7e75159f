import type { LinkView } from './answers.ts'

// The small page an SMS link opens (#17): what the task or message is, and one big 收到 button that POSTs. A GET
// acknowledges nothing, so a link previewer (a chat app, a carrier's scanner) cannot answer for the person.

const esc = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>body{font:18px/1.5 system-ui,sans-serif;margin:0;padding:24px;background:#0b1f33;color:#e8f1fb}h1{font-size:22px;margin:0 0 12px}p{margin:0 0 20px;color:#b9cde2}
button{width:100%;padding:22px;font-size:26px;font-weight:700;border:0;border-radius:12px;background:#1fa463;color:#fff}.done{font-size:24px;color:#5fe3a1}a{color:#8cc8ff}</style></head>
<body>${body}</body></html>`
}

export function linkPage(v: LinkView, token: string): string {
  const what = v.kind === 'task' ? '任务' : '通知'
  const action = v.open
    ? `<form method="post" action="/t/${esc(token)}"><button type="submit">收到</button></form>`
    : `<p class="done">已确认 ✓</p>`
  return page(`${what}：${v.title}`, `<h1>${esc(v.title)}</h1><p>${esc(v.text)}</p>${action}<p><a href="/field">打开一屏统揽 Open OneScreen</a></p>`)
}

export function answeredPage(v: LinkView | null, already: boolean): string {
  const title = v?.title ?? '一屏统揽'
  return page(title, `<h1>${esc(title)}</h1><p class="done">${already ? '此前已确认 ✓ Already acknowledged' : '已收到，指挥中心已看到 ✓ Acknowledged'}</p><p><a href="/field">打开一屏统揽 Open OneScreen</a></p>`)
}

export function problemPage(message: string): string {
  return page('链接无效', `<h1>链接无效或已过期</h1><p>${esc(message)}</p><p>请回复短信“1”确认，或联系指挥中心。Reply "1" to acknowledge.</p>`)
}
