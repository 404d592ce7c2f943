import { preview } from 'vite'

/** Serve `folder` as a static site on 127.0.0.1 (Vite's preview server), as a reader's host would. */
export async function serveFolder(folder: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = await preview({ configFile: false, root: folder, build: { outDir: '.' }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'silent' })
  const url = server.resolvedUrls?.local[0]
  if (!url) throw new Error('The preview server did not say where it listens')
  return { url, close: () => server.close() }
}
