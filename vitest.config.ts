import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

const alias = { '@shared': resolve(__dirname, 'src/shared') }

export default defineConfig({
  plugins: [vue()],
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'node', include: ['tests/shared/**/*.test.ts', 'tests/main/**/*.test.ts'], environment: 'node', testTimeout: 60_000, pool: 'forks' },
      },
      {
        plugins: [vue()],
        resolve: { alias },
        test: { name: 'renderer', include: ['tests/renderer/**/*.test.ts'], environment: 'happy-dom' },
      },
      {
        resolve: { alias },
        test: { name: 'e2e', include: ['tests/e2e/**/*.e2e.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false },
      },
    ],
  },
})
