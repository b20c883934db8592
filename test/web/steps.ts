import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { distinctColours } from '../support/browser.ts';

/** Where screenshots go (`test/artifacts/`, not committed). */
const artifacts = resolve(import.meta.dirname, '../artifacts');

/** How long a page may take to reach a state on the shared, loaded test machine. */
export const patience = 20_000;

/** Waits until the dashboards list has loaded (ready, or empty for a user who may see none). */
async function dashboardsShown(page: Page): Promise<void> {
  await page
    .locator(
      '[data-testid="page-dashboards"][data-state="ready"], [data-testid="page-dashboards"][data-state="empty"]',
    )
    .waitFor({ timeout: patience });
}

/** Signs in through the form with a user name and password and waits for the dashboards. */
export async function signInWithPassword(
  page: Page,
  url: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${url}/#/dashboards`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await dashboardsShown(page);
}

/** Signs in through the form with an API token and waits for the dashboards. */
export async function signInWithToken(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/#/dashboards`);
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await dashboardsShown(page);
}

/** Waits until the page's root `data-testid="page-<name>"` has `data-state="<state>"`. */
export async function pageInState(page: Page, name: string, state: string): Promise<void> {
  await page.locator(`[data-testid="page-${name}"][data-state="${state}"]`).waitFor({ timeout: patience });
}

/**
 * Writes a full-page screenshot to `test/artifacts/<name>.png` and checks it is not blank: a
 * blank page is one colour; text alone on a plain background gives dozens (anti-aliasing).
 */
export async function screenshotNotBlank(page: Page, name: string): Promise<number> {
  await mkdir(artifacts, { recursive: true });
  const png = await page.screenshot({ fullPage: true });
  await writeFile(join(artifacts, `${name}.png`), png);
  const colours = distinctColours(png);
  expect(colours, `${name}.png has ${colours} colours`).toBeGreaterThan(16);
  return colours;
}

/**
 * What each chart container of the page holds: the painted (non-transparent) pixels of its
 * canvas, or the drawn elements of its svg; 0 for an empty container.
 */
export function chartInk(page: Page): Promise<number[]> {
  return page.locator('[data-testid="chart"]').evaluateAll((charts) =>
    charts.map((chart) => {
      const canvas = chart.querySelector('canvas');
      if (canvas && canvas.width > 0 && canvas.height > 0) {
        const context = canvas.getContext('2d');
        if (!context) return 0;
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
        return painted;
      }
      const svg = chart.querySelector('svg');
      return svg ? svg.querySelectorAll('path, rect, text, circle, line, polyline').length : 0;
    }),
  );
}

/**
 * Installed before the page's own scripts: records in `window.widgetsReadyAt` the time
 * (milliseconds from navigation start, `performance.now()`) when a dashboard view first has
 * widgets and every one of them is `data-state="ready"`.
 */
export function recordWidgetsReady(): void {
  const record = () => {
    const w = window as unknown as { widgetsReadyAt?: number };
    if (w.widgetsReadyAt !== undefined) return;
    const widgets = Array.from(document.querySelectorAll('[data-testid="widget"]'));
    if (widgets.length > 0 && widgets.every((widget) => widget.getAttribute('data-state') === 'ready')) {
      w.widgetsReadyAt = performance.now();
    }
  };
  new MutationObserver(record).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-state'],
  });
}
