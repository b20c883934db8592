import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { type DemoServer, startDemoServer } from './demo-server.ts';
import { pageInState, patience, screenshotNotBlank, signInWithToken } from './steps.ts';

// The incidents, recurrence, models and jobs pages in Chromium against the real server on a small
// demo: what each shows is checked against the API's own answer, each action against the API
// afterwards, and each page is screenshotted to test/artifacts/<page>.png.

let demo: DemoServer;
let browser: TestBrowser;
let page: Page;

async function api<T>(path: string): Promise<T> {
  const response = await demo.server.fetch(path, { as: 'admin' });
  expect(response.ok, `${path}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

/** Goes to a page by its navigation link (as a keyboard user would: focus, Enter) and waits for it. */
async function openByLink(name: string, testId: string): Promise<void> {
  await page.getByRole('link', { name, exact: true }).focus();
  await page.keyboard.press('Enter');
  await pageInState(page, testId, 'ready');
}

const rowsOf = (testId: string) => page.locator(`[data-testid="page-${testId}"] tbody tr`);

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  page = await browser.context.newPage();
  // An analyst: may resolve, train and cancel.
  await signInWithToken(page, demo.server.url, demo.server.tokens.analyst);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.server.close();
  await demo?.server.engine.close();
});

describe('the pages beyond the dashboards', () => {
  it('incidents: the first page, a search, a severity filter and ordering agree with the API', async () => {
    await openByLink('Incidents', 'incidents');
    const all = await api<{ count: number }>('/api/incidents/');
    expect(await page.locator('[data-testid="page-incidents"] caption').textContent()).toContain(
      `${all.count} in all`,
    );
    expect(await rowsOf('incidents').count()).toBe(25);
    await screenshotNotBlank(page, 'incidents');

    const word = 'database';
    const searched = await api<{ count: number }>(`/api/incidents/?search=${word}&severity=CRITICAL`);
    await page.getByLabel('Search').fill(word);
    await page.getByLabel('Severity').selectOption('CRITICAL');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.locator('[data-testid="page-incidents"] caption').textContent(), { timeout: patience })
      .toContain(`${searched.count} in all`);
    expect(searched.count).toBeGreaterThan(0);
    const severities = await rowsOf('incidents').locator('td:nth-child(2)').allInnerTexts();
    expect(new Set(severities)).toEqual(new Set(['CRITICAL']));

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: 'Title' }).click();
    await expect
      .poll(() => page.locator('th[aria-sort="ascending"]').textContent(), { timeout: patience })
      .toContain('Title');
    const first = await api<{ results: { title: string }[] }>('/api/incidents/?ordering=title&page_size=1');
    await expect
      .poll(() => rowsOf('incidents').first().locator('td').first().textContent(), { timeout: patience })
      .toBe(first.results[0]!.title);
  });

  it('one incident: its fields and the anomaly that names it', async () => {
    const anomalies = await api<{
      results: { id: string; description: string; related_incidents: string[] }[];
    }>('/api/analytics/anomaly-detections/?page_size=100');
    const anomaly = anomalies.results.find((a) => a.related_incidents.length > 0)!;
    const id = anomaly.related_incidents[0]!;
    const incident = await api<{ title: string }>(`/api/incidents/${id}/`);
    await page.goto(`${demo.server.url}/#/incidents/${id}`);
    await pageInState(page, 'incident', 'ready');
    const text = await page.locator('[data-testid="page-incident"]').textContent();
    expect(text).toContain(incident.title);
    expect(text).toContain(anomaly.description);
    await screenshotNotBlank(page, 'incident');
  });

  it('recurrence: a pattern resolved with notes in the page is resolved in the API', async () => {
    await openByLink('Recurrence', 'recurrence');
    await screenshotNotBlank(page, 'recurrence');
    await page.getByLabel('Resolved').selectOption('false');
    const unresolved = await api<{ count: number; results: { id: string; description: string }[] }>(
      '/api/analytics/recurrence-analyses/?is_resolved=false&page_size=25',
    );
    await expect
      .poll(() => page.locator('[data-testid="page-recurrence"] caption').textContent(), {
        timeout: patience,
      })
      .toContain(`${unresolved.count} in all`);
    const target = unresolved.results[0]!;
    await rowsOf('recurrence').first().getByRole('button', { name: 'Resolve' }).click();
    await page.getByLabel('Resolution notes').fill('Fixed by the connection pool change');
    await page.getByRole('button', { name: 'Confirm resolve' }).click();
    await expect
      .poll(
        async () =>
          (await api<{ is_resolved: boolean }>(`/api/analytics/recurrence-analyses/${target.id}/`))
            .is_resolved,
        {
          timeout: patience,
        },
      )
      .toBe(true);
    const resolved = await api<{ resolution_notes: string }>(
      `/api/analytics/recurrence-analyses/${target.id}/`,
    );
    expect(resolved.resolution_notes).toBe('Fixed by the connection pool change');
  });

  it('models: scores against the baseline, and Train follows its job to the end', async () => {
    await openByLink('Models', 'models');
    const models = page.locator('[data-testid="model"]');
    expect(await models.count()).toBeGreaterThanOrEqual(2);
    const severity = models.filter({ hasText: 'Demo severity predictor' });
    await expect
      .poll(() => severity.locator('[data-testid="model-performance"]').textContent(), { timeout: patience })
      .toMatch(/baseline/);
    await screenshotNotBlank(page, 'models');
    const before = await api<{ results: { name: string; version: string }[] }>(
      '/api/analytics/predictive-models/?page_size=100',
    );
    const version = Number(before.results.find((m) => m.name === 'Demo severity predictor')!.version);
    await severity.getByRole('button', { name: 'Train Demo severity predictor' }).click();
    await expect
      .poll(() => severity.locator('[data-testid="job-progress"]').getAttribute('data-status'), {
        timeout: patience,
      })
      .toBe('SUCCEEDED');
    const after = await api<{ results: { name: string; version: string; status: string }[] }>(
      '/api/analytics/predictive-models/?page_size=100',
    );
    const trained = after.results.find((m) => m.name === 'Demo severity predictor')!;
    expect(Number(trained.version)).toBe(version + 1);
    expect(trained.status).toBe('ACTIVE');
  });

  it('jobs: the list, a status filter, and cancelling a queued job', async () => {
    await openByLink('Jobs', 'jobs');
    const all = await api<{ count: number }>('/api/jobs/');
    expect(await page.locator('[data-testid="page-jobs"] caption').textContent()).toContain(
      `${all.count} in all`,
    );
    await screenshotNotBlank(page, 'jobs');
    await page.getByLabel('Status').selectOption('FAILED');
    await pageInState(page, 'jobs', 'empty');

    // A job that stays queued: submitted while the server's clock is an hour ahead, so that once
    // the clock is back its run_after is an hour away and the runner leaves it alone.
    const hour = 3_600_000;
    demo.clock.now = new Date(demo.clock.now.getTime() + hour);
    const submitted = await demo.server.fetch('/api/jobs/', {
      method: 'POST',
      as: 'analyst',
      json: { kind: 'refresh_heatmaps' },
    });
    demo.clock.now = new Date(demo.clock.now.getTime() - hour);
    expect(submitted.status).toBe(202);
    const job = (await submitted.json()) as { id: string };
    await page.getByLabel('Status').selectOption('QUEUED');
    await pageInState(page, 'jobs', 'ready');
    await rowsOf('jobs').getByRole('button', { name: 'Cancel refresh_heatmaps job' }).click();
    await expect
      .poll(async () => (await api<{ status: string }>(`/api/jobs/${job.id}/`)).status, { timeout: patience })
      .toBe('CANCELLED');
  });
});
