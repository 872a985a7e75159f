import type { Plugin } from 'vite'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, gzip, constants as zlib } from 'node:zlib'
import VueI18n from '@intlify/unplugin-vue-i18n/vite'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { EARLY_SNAPSHOT, EARLY_SNAPSHOT_PAGE } from './client/ui/early.ts'

// The server (Fastify + Socket.IO) listens on 3000 in development; the built client is served by it.
const api = process.env.ONESCREEN_API ?? 'http://127.0.0.1:3000'

const WALL_FONTS = 'virtual:noto-sans-sc.css'
/**
 * The bundled Noto Sans SC, regular and bold, as one stylesheet for the pages that import it (wall, desk, admin;
 * the phones use their own CJK fonts). Fontsource ships one file per weight; each lists ~100 subsets with long
 * `unicode-range`s, and the two files repeat them 100 KB apart, beyond gzip's 32 KiB window. Here each subset's
 * two weights sit side by side, so the second range costs a back-reference, and the `.woff` fallback goes (every
 * browser that runs these pages reads woff2): 64 → ~24 KiB gzipped.
 */
function wallFonts(): Plugin {
  const dir = dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/400.css'))
  // A path inside the package, so the rules' `./files/…` URLs resolve as they do from Fontsource's own files.
  const id = join(dir, 'onescreen-400-700.css')
  const rules = (weight: number) => readFileSync(join(dir, `${weight}.css`), 'utf8')
    .split(/(?=\/\* noto-sans-sc-\[)/)
    .filter(r => r.includes('@font-face'))
    .map(r => r.replace(/, url\([^)]*\.woff\) format\('woff'\)/g, ''))
  return {
    name: 'onescreen:wall-fonts',
    resolveId: source => source === WALL_FONTS ? id : null,
    load(path) {
      if (path !== id)
        return null
      const regular = rules(400)
      const bold = rules(700)
      if (regular.length !== bold.length)
        throw new Error('@fontsource/noto-sans-sc: the 400 and 700 files list different subsets')
      return regular.flatMap((r, i) => [r, bold[i]!]).join('')
    },
  }
}

/**
 * `.br` and `.gz` beside every text file of the build, served by @fastify/static (`preCompressed`): a phone on
 * a cell gets the compressed bytes, and the server spends no CPU per request.
 */
function precompress(outDir: string): Plugin {
  const brotli = promisify(brotliCompress)
  const gz = promisify(gzip)
  const files = (d: string): string[] => readdirSync(d, { withFileTypes: true })
    .flatMap(e => e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)])
  return {
    name: 'onescreen:precompress',
    apply: 'build',
    async closeBundle() {
      await Promise.all(files(outDir).filter(f => /\.(?:m?js|css|html|svg|json|webmanifest)$/.test(f)).map(async (f) => {
        const body = readFileSync(f)
        const [br, gzipped] = await Promise.all([
          brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
          gz(body, { level: 9 }),
        ])
        writeFileSync(`${f}.br`, br)
        writeFileSync(`${f}.gz`, gzipped)
      }))
    },
  }
}

/** Route paths and the page component each one loads (client/modules/router.ts). */
const PAGES: Record<string, string> = {
  '/': 'screens/wall/WallPage.vue',
  '/desk': 'screens/desk/DeskPage.vue',
  '/m': 'screens/leader/LeaderPage.vue',
  '/field': 'screens/field/FieldPage.vue',
  '/admin': 'screens/admin/AdminPage.vue',
}

/**
 * The page chunk the URL needs, fetched beside the entry rather than after it has run: a small script (an
 * external file, for the CSP allows no inline script) adds a `modulepreload` for the chunks of the page at
 * `location.pathname`. Saves one round trip on a cell (entry → router → page chunk).
 */
function pagePreload(): Plugin {
  return {
    name: 'onescreen:page-preload',
    apply: 'build',
    generateBundle: {
      // After Vite has written index.html into the bundle.
      order: 'post',
      handler(_, bundle) {
        const html = bundle['index.html']
        if (html?.type !== 'asset')
          return
        const chunks = Object.values(bundle).filter(c => c.type === 'chunk')
        const entry = chunks.find(c => c.isEntry)
        const inEntry = new Set<string>(entry ? [entry.fileName, ...entry.imports] : [])
        const byFile = new Map(chunks.map(c => [c.fileName, c]))
        const map: Record<string, string[]> = {}
        for (const [path, page] of Object.entries(PAGES)) {
          const chunk = chunks.find(c => c.facadeModuleId?.endsWith(page))
          if (!chunk)
            throw new Error(`page-preload: no chunk for ${page}`)
          const need = new Set<string>()
          const css = new Set<string>()
          const walk = (file: string) => {
            if (need.has(file) || inEntry.has(file))
              return
            need.add(file)
            const c = byFile.get(file)
            for (const f of c?.viteMetadata?.importedCss ?? []) css.add(f)
            for (const f of c?.imports ?? []) walk(f)
          }
          walk(chunk.fileName)
          // Stylesheets first: the router's import of the page waits for them (Vite's preload helper).
          map[path] = [...[...css].map(f => `/${f}`), ...[...need].map(f => `/${f}`)]
        }
        const source = `(function(){var m=${JSON.stringify(map)};var f=m[location.pathname.replace(/\\/+$/,'')||'/']||[];`
          + `for(var i=0;i<f.length;i++){var l=document.createElement('link'),s=/\\.css$/.test(f[i]);`
          + `l.rel=s?'preload':'modulepreload';if(s)l.as='style';l.crossOrigin='';l.href=f[i];document.head.appendChild(l)}`
          // The leader view's figures: its snapshot asked for beside the JS, not after it and the session check
          // (client/ui/early.ts hands it to the page; a share link signs in first, so it is not asked for then).
          + `if(location.pathname.replace(/\\/+$/,'')==='${EARLY_SNAPSHOT_PAGE}'&&!/[?&]share=/.test(location.search))`
          + `window.${EARLY_SNAPSHOT}=fetch('/api/snapshot',{credentials:'same-origin',headers:{accept:'application/json'}})`
          + `.then(function(r){return r.ok?r.json():null}).catch(function(){return null})})()\n`
        const script = this.getFileName(this.emitFile({ type: 'asset', name: 'page-preload.js', source }))
        // First in <head>, async: fetched beside the entry, run the moment it arrives, blocking nothing.
        html.source = String(html.source).replace('<head>', `<head>\n    <script async src="/${script}"></script>`)
      },
    },
  }
}

export default defineConfig({
  root: 'client',
  plugins: [
    vue(),
    // The strings precompiled at build time (client/locales), so the phones load vue-i18n without its message
    // compiler: the runtime-only build, Composition API only.
    VueI18n({
      include: [new URL('./client/locales/**', import.meta.url).pathname],
      // Gathers the English files (loaded when English is chosen); not a locale file itself.
      exclude: [new URL('./client/locales/english.ts', import.meta.url).pathname],
      dropMessageCompiler: true,
      compositionOnly: true,
      // No <i18n-t>, <i18n-n>, <i18n-d> or v-t in our components: `$t` and `useI18n` only (globalInjection).
      fullInstall: false,
    }),
    wallFonts(),
    pagePreload(),
    precompress(new URL('./dist', import.meta.url).pathname),
  ],
  define: {
    // Every component is written with <script setup>: Vue's Options API (data, methods, mixins) is dropped.
    __VUE_OPTIONS_API__: false,
    // vue-i18n's other flags (Composition API only, no message compiler) are set by its plugin above.
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // MapLibre alone is ~800 KiB minified; it is one long-lived chunk, not a warning.
    chunkSizeWarningLimit: 1500,
    // Fonts stay files: a subset inlined as base64 would sit in the stylesheet of every big-screen page, compress
    // poorly there, and be downloaded whether or not a glyph of its range is ever drawn.
    assetsInlineLimit: file => file.endsWith('.woff2') || file.endsWith('.woff') ? false : undefined,
    rolldownOptions: {
      // TypeBox's builders have no side effects: a schema constant a page never reads (the shared schema files
      // also export plain values the phones use) is dropped, and TypeBox with it. So have the default catalog's
      // `single`/`cross` (shared/organisation/default-catalog.ts): only the server reads that catalog, and the
      // pages that import its module for a helper no longer carry its ~10 KB of categories.
      treeshake: { manualPureFunctions: ['Type', 'single', 'cross'] },
      output: {
        // The two big libraries get chunks of their own: cached across deploys of the app code, and the phone
        // views load MapLibre only when they open a map and never ECharts.
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/].*\.m?js$/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/socket.io': { target: api, ws: true, changeOrigin: true },
    },
  },
})
