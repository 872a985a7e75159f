import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// The server (Fastify + Socket.IO) listens on 3000 in development; the built client is served by it.
const api = process.env.ONESCREEN_API ?? 'http://127.0.0.1:3000'

export default defineConfig({
  root: 'client',
  plugins: [vue()],
  // vue-i18n bundler flags: Composition API only, so the legacy API is tree-shaken away.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // MapLibre alone is ~800 KiB minified; it is one long-lived chunk, not a warning.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
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
