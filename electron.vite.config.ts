import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

const alias = { '@shared': resolve(__dirname, 'src/shared') }

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // the inference worker thread (src/main/inference/worker-client.ts loads it beside index.js)
          'inference-worker': resolve(__dirname, 'src/main/inference/worker.ts'),
          // the fine-tuning worker thread (src/main/finetune/trainer.ts loads it beside index.js)
          'finetune-worker': resolve(__dirname, 'src/main/finetune/worker.ts'),
        },
        // native / wasm packages are loaded from node_modules at run time, never bundled
        external: ['onnxruntime-node', 'h5wasm', 'h5wasm/node'],
      },
    },
  },
  // sandboxed preloads cannot be ES modules: emit CommonJS
  preload: { resolve: { alias }, build: { externalizeDeps: false, rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } } } },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias },
    plugins: [vue()],
    build: { rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } },
  },
})
