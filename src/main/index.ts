/**
 * Electron entry: a thin shell. Everything of substance lives in services wired by ./app/compose, which run
 * under plain Node too (CLI, tests, the browser host used by end-to-end tests).
 */
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron'
import { join } from 'node:path'
import { IPC_EVENT, IPC_INVOKE } from '@shared/contract'
import { RENDERER_CSP } from '@shared/csp'
import { createDispatcher, toWireError } from './ipc/dispatch'
import { composeServices } from './app/compose'


async function createWindow(): Promise<void> {
  let win: BrowserWindow | null = null
  // 'report:pdf' prints whatever the window shows (the renderer navigates to the report route first)
  const pdfPrinter = {
    async printToPdf(o: { landscape: boolean; pageSize: 'A4' | 'Letter' }): Promise<Uint8Array> {
      if (!win || win.isDestroyed()) throw new Error('report:pdf: no window to print')
      return new Uint8Array(await win.webContents.printToPDF({ landscape: o.landscape, pageSize: o.pageSize, printBackground: true }))
    },
  }
  const services = await composeServices({
    userDataDir: app.getPath('userData'),
    appRoot: app.getAppPath(),
    electron: true,
    pdfPrinter,
    openDialog: async ({ directory }) => {
      const picked = await dialog.showOpenDialog({ properties: [directory ? 'openDirectory' : 'openFile', 'multiSelections'] })
      return picked.canceled ? [] : picked.filePaths
    },
  })
  win = new BrowserWindow({
    width: 1440,
    height: 900,
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    },
  })
  services.events.subscribe((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload)
  })
  const dispatch = createDispatcher(services.handlers)
  ipcMain.handle(IPC_INVOKE, async (e, name: unknown, payload: unknown) => {
    // only our own top-level frame may call
    if (e.senderFrame?.parent !== null || e.sender !== win.webContents) return toWireError(new Error('refused: unknown sender'))
    try {
      return { ok: await dispatch(String(name), payload) }
    } catch (err) {
      return toWireError(err)
    }
  })
  win.webContents.on('will-navigate', (e) => e.preventDefault())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.on('ready-to-show', () => win.show())
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else await win.loadFile(join(__dirname, '../renderer/index.html'))
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault())
})

void app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
  await createWindow()
})
app.on('window-all-closed', () => app.quit())
