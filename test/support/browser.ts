import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { PNG } from 'pngjs';

/**
 * Debian's Chromium, with the switches that keep it from reaching out to the network (updates,
 * sync, QUIC, first-run pages): without them it stalls on a closed network.
 */
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A Chromium with its own fresh profile; `close` ends it and removes the profile. */
export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium through playwright-core in a fresh user-data directory, 1280 × 900 by default. */
export async function launchBrowser(viewport = { width: 1280, height: 900 }): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'insights-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport,
    timeout: 30_000,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The number of distinct colours (RGBA) in a PNG, counted up to `cap`: a blank screenshot has 1,
 * a page with text and charts has hundreds.
 */
export function distinctColours(png: Buffer, cap = 1000): number {
  const image = PNG.sync.read(png);
  const seen = new Set<number>();
  const data = image.data;
  for (let i = 0; i < data.length && seen.size < cap; i += 4) {
    seen.add(((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!) >>> 0);
  }
  return seen.size;
}
