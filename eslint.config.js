// Lint enforces the architecture: `shared` imports nothing of ours, main and renderer import only `shared`,
// the preload imports only `shared`, and there are no import cycles.
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import vue from 'eslint-plugin-vue'

const restrict = (target, from, message) => ({ target, from, message })

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tsbuild/**', 'training/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['src/**/*.{ts,vue}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { typescript: true, node: true } },
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            restrict('./src/shared', './src/main', 'shared is pure: it must not import main'),
            restrict('./src/shared', './src/renderer', 'shared is pure: it must not import renderer'),
            restrict('./src/shared', './src/preload', 'shared is pure: it must not import preload'),
            restrict('./src/main', './src/renderer', 'main imports only shared'),
            restrict('./src/main', './src/preload', 'main imports only shared'),
            restrict('./src/renderer', './src/main', 'renderer imports only shared (talk to main via the preload API)'),
            restrict('./src/renderer', './src/preload', 'renderer imports only shared'),
            restrict('./src/preload', './src/main', 'preload imports only shared'),
            restrict('./src/preload', './src/renderer', 'preload imports only shared'),
          ],
        },
      ],
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    // shared must stay free of Node and DOM globals so both sides can use it
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'electron', 'onnxruntime-node', 'vue', 'pinia', 'dexie'] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'electron', 'onnxruntime-node'] }] },
  },
)
