/**
 * The renderer's Content-Security-Policy, sent by the Electron shell and by the browser host alike: no inline,
 * eval'd or remote script; inline styles are allowed because Vue and ECharts set them; fetch/SSE same-origin.
 * (src/renderer/index.html carries the same policy as a meta tag for file:// loads.)
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
