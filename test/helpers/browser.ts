import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium (`apt-get install -y chromium`); browser tests never download a browser of their own. */
export const chromiumPath = process.env.FERRULE_CHROMIUM ?? '/usr/bin/chromium'

export const hasChromium = existsSync(chromiumPath)

/**
 * Headless Chromium for a test. Without the background-networking flags Chromium keeps trying to
 * reach Google's hosts, which a machine without network refuses, many at a time.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}
