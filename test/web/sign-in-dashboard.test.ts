import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { type DemoServer, sessionSeconds, startDemoServer } from './demo-server.ts';
import {
  chartInk,
  pageInState,
  patience,
  recordWidgetsReady,
  screenshotNotBlank,
  signInWithPassword,
  signInWithToken,
} from './steps.ts';

// The web page in Debian's Chromium against the real server on a small demo: signing in both ways,
// the demo's dashboard drawn, acknowledging an anomaly, what a viewer may see, and an expired
// session. The render time of the first dashboard view is printed (bench/RESULTS.md), not asserted.

let demo: DemoServer;
let browser: TestBrowser;
let executiveId: string;
let allWidgetsId: string;

const widgetTypes = [
  'kpi_summary',
  'kpi_trend',
  'anomaly_summary',
  'recent_anomalies',
  'cost_summary',
  'cost_breakdown',
  'insight_summary',
  'recent_insights',
  'heatmap',
  'forecast',
];

async function api<T>(path: string, init: { method?: string; json?: unknown; as?: 'admin' | 'viewer' } = {}) {
  const response = await demo.server.fetch(path, { as: 'admin', ...init });
  expect(response.ok, `${path}: ${response.status} ${await response.clone().text()}`).toBe(true);
  return (await response.json()) as T;
}

async function freshPage(): Promise<Page> {
  await browser.context.clearCookies();
  return browser.context.newPage();
}

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  await browser.context.addInitScript(recordWidgetsReady);
  const dashboards = await api<{ results: { id: string; name: string }[] }>(
    '/api/analytics/dashboard-configurations/?page_size=100',
  );
  executiveId = dashboards.results.find((d) => d.name === 'Executive Dashboard')!.id;
  // Every widget type on one dashboard, visible to analysts only (and to its creator, the admin).
  const created = await api<{ id: string }>('/api/analytics/dashboard-configurations/', {
    method: 'POST',
    json: {
      name: 'Every widget (analysts)',
      dashboard_type: 'OPERATIONAL',
      layout_config: { rows: 4, columns: 3 },
      widget_configs: widgetTypes.map((type, i) => ({
        type,
        position: { row: Math.floor(i / 3), column: i % 3 },
        size: { width: 1, height: 1 },
      })),
      is_public: false,
      allowed_roles: ['analyst'],
      auto_refresh_enabled: false,
    },
  });
  allWidgetsId = created.id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.server.close();
  await demo?.server.engine.close();
});

/**
 * Opens dashboard `id` as a new navigation and waits until every widget is ready and every chart
 * drawn; gives the time from navigation start to every widget ready, and the page's main-thread
 * time (CDP `Performance.getMetrics` TaskDuration) from navigation start to the check after it.
 */
async function openDashboard(page: Page, id: string): Promise<{ readyMs: number; mainThreadMs: number }> {
  await page.goto('about:blank');
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskMs = async () =>
    ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) *
    1000;
  const before = await taskMs();
  await page.goto(`${demo.server.url}/#/dashboards/${id}`);
  await pageInState(page, 'dashboard', 'ready');
  const widgetStates = () =>
    page
      .locator('[data-testid="widget"]')
      .evaluateAll((ws) =>
        ws.map((w) => `${w.getAttribute('data-widget-type')}=${w.getAttribute('data-state')}`),
      );
  await expect
    .poll(async () => (await widgetStates()).filter((s) => !s.endsWith('=ready')), { timeout: patience })
    .toEqual([]);
  const readyMs = await page.evaluate(
    () => (window as unknown as { widgetsReadyAt?: number }).widgetsReadyAt ?? 0,
  );
  const mainThreadMs = (await taskMs()) - before;
  await cdp.detach();
  expect(readyMs).toBeGreaterThan(0);
  await expect
    .poll(async () => (await chartInk(page)).every((ink) => ink > 0), { timeout: patience })
    .toBe(true);
  return { readyMs, mainThreadMs };
}

/** Prints a dashboard view's render time (recorded in bench/RESULTS.md; never asserted). */
function report(what: string, time: { readyMs: number; mainThreadMs: number }): void {
  console.log(
    `${what}: every widget ready ${time.readyMs.toFixed(0)} ms after navigation start ` +
      `(page main thread busy ${time.mainThreadMs.toFixed(0)} ms; load average ${loadavg()[0]!.toFixed(1)})`,
  );
}

describe('the web page in Chromium', () => {
  it('signs in with a password and draws the demo dashboard: every widget ready, tiles filled', async () => {
    const page = await freshPage();
    await signInWithPassword(page, demo.server.url, 'admin', 'password-admin');
    await screenshotNotBlank(page, 'dashboards');
    report('first dashboard view (Executive Dashboard)', await openDashboard(page, executiveId));
    // A tile per KPI of the summary; each KPI the API gives a value shows a number. (On this demo,
    // MTBF and MTBSI have no value: no failure of their kind in the last day.)
    const tiles = await page.locator('[data-testid="kpi-tile"]').allInnerTexts();
    const summary = await api<{ metric_name: string; current_value: string | null }[]>(
      '/api/analytics/kpi-metrics/summary/',
    );
    expect(tiles.length).toBe(summary.length);
    const valued = summary.filter((kpi) => kpi.current_value !== null);
    expect(valued.length).toBeGreaterThan(0);
    for (const kpi of valued) {
      const tile = tiles.find((text) => text.includes(kpi.metric_name));
      expect(tile, `${kpi.metric_name}'s tile shows a number`).toMatch(/\d/);
    }
    await screenshotNotBlank(page, 'dashboard');
    await page.close();
  });

  it('draws every widget type, and an anomaly acknowledged in the page is INVESTIGATING in the API', async () => {
    const page = await freshPage();
    await signInWithToken(page, demo.server.url, demo.server.tokens.admin);
    report('dashboard of every widget type', await openDashboard(page, allWidgetsId));
    expect(await page.locator('[data-testid="widget"]').count()).toBe(widgetTypes.length);
    expect((await chartInk(page)).length, 'charts drawn').toBeGreaterThanOrEqual(4);
    const detected = await api<{ results: { id: string }[] }>(
      '/api/analytics/anomaly-detections/?status=DETECTED&page_size=100',
    );
    expect(detected.results.length).toBeGreaterThan(0);
    await page
      .locator('[data-testid="widget"][data-widget-type*="anomal"]')
      .getByRole('button', { name: 'Acknowledge', exact: true })
      .first()
      .click();
    await expect
      .poll(
        async () => {
          const after = await api<{ results: { id: string }[] }>(
            '/api/analytics/anomaly-detections/?status=INVESTIGATING&page_size=100',
          );
          return after.results.filter((a) => detected.results.some((d) => d.id === a.id)).length;
        },
        { timeout: patience },
      )
      .toBe(1);
    await page.close();
  });

  it('does not show a viewer the dashboards restricted to other roles', async () => {
    await api('/api/auth/users/', {
      method: 'POST',
      json: { username: 'vera', password: 'vera-password-1', role: 'viewer' },
    });
    const open = await api<{ id: string }>('/api/analytics/dashboard-configurations/', {
      method: 'POST',
      json: {
        name: 'Open to everyone',
        dashboard_type: 'CUSTOM',
        layout_config: { rows: 1, columns: 1 },
        widget_configs: [],
        is_public: true,
      },
    });
    const page = await freshPage();
    await signInWithPassword(page, demo.server.url, 'vera', 'vera-password-1');
    const list = page.locator('[data-testid="page-dashboards"]');
    await expect.poll(() => list.textContent()).toContain('Open to everyone');
    expect(await list.textContent()).not.toContain('Every widget (analysts)');
    expect(await list.textContent()).not.toContain('Executive Dashboard');
    await page.goto(`${demo.server.url}/#/dashboards/${allWidgetsId}`);
    await pageInState(page, 'dashboard', 'error');
    expect(open.id).not.toBe(allWidgetsId);
    await page.close();
  });

  it('returns to sign-in when the session expires (the server clock moved past its end)', async () => {
    const page = await freshPage();
    await signInWithPassword(page, demo.server.url, 'analyst', 'password-analyst');
    demo.clock.now = new Date(demo.clock.now.getTime() + (sessionSeconds + 3600) * 1000);
    try {
      await page.getByRole('link', { name: 'Jobs' }).click();
      const signIn = page.locator('[data-testid="page-sign-in"]');
      await signIn.waitFor({ timeout: patience });
      expect(await signIn.textContent()).toMatch(/session has expired/i);
      expect(await page.locator('#username').isVisible()).toBe(true);
    } finally {
      demo.clock.now = new Date(demo.clock.now.getTime() - (sessionSeconds + 3600) * 1000);
    }
    await page.close();
  });
});
