import type { InfoReport } from '../../shared/inforeport/schema.ts'
import { reportText } from '../../shared/inforeport/draft.ts'
import { escapeHtml } from '../wartime/after-action/html.ts'

// The print view: the report's text as the district's paper form has it (A4, 仿宋 body, 小标宋 title), to print or
// save as PDF from the browser. No script: the page is static text.

export function reportHtml(r: InfoReport): string {
  const text = r.text ?? (r.fields ? reportText(r.fields, r.sentAt) : '')
  const [title = '', ...body] = text.split('\n')
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { max-width: 156mm; margin: 24px auto; color: #000; font: 16pt/1.6 "FangSong", "仿宋", "STFangsong", serif; }
h1 { margin: 0 0 1em; font: 22pt/1.4 "FZXiaoBiaoSong-B05S", "方正小标宋简体", "SimSun", serif; text-align: center; }
p { margin: 0; white-space: pre-wrap; }
.state { color: #b91c1c; font-size: 12pt; text-align: right; }
@media print { .state { display: none; } }
</style></head>
<body>
<p class="state">${r.state === 'sent' ? `已报送 ${escapeHtml(r.sentAt)}` : '草稿（未报送）'}</p>
<h1>${escapeHtml(title)}</h1>
${body.map(line => `<p>${escapeHtml(line)}</p>`).join('\n')}
</body></html>
`
}
