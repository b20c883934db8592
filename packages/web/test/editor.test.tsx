// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../src/app/api.ts';
import { DashboardEditor } from '../src/app/dashboards/editor.tsx';
import { fakeApi } from './app-fixtures.ts';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  window.location.hash = '#/dashboards/new';
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const settle = () =>
  act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });
const input = (id: string) => root.querySelector<HTMLInputElement>(`#${id}`)!;
const type = (id: string, value: string) =>
  act(() => {
    input(id).value = value;
    input(id).dispatchEvent(new Event('input', { bubbles: true }));
  });
const save = () =>
  act(async () => {
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });

describe('the dashboard editor', () => {
  it("shows the API's validation error next to the field it names, and moves the focus there", async () => {
    const refused = new ApiError(
      400,
      'VALIDATION_ERROR',
      'layout_config.rows: must be a whole number from 1 to 24',
      {
        field: 'layout_config.rows',
      },
    );
    const { api, calls } = fakeApi({
      'POST /api/analytics/dashboard-configurations/': () => {
        throw refused;
      },
    });
    render(<DashboardEditor api={api} id={null} />, root);
    await settle();
    expect(root.querySelector('[data-testid="page-dashboard-editor"]')?.getAttribute('data-state')).toBe(
      'ready',
    );
    await type('field-name', 'Ops');
    await type('field-layout_config-rows', '30');
    await type('field-allowed_roles', 'executive, manager');
    await save();
    await settle();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toMatchObject({
      name: 'Ops',
      layout_config: { rows: 30, columns: 3 },
      allowed_roles: ['executive', 'manager'],
    });
    const rows = input('field-layout_config-rows');
    expect(rows.getAttribute('aria-invalid')).toBe('true');
    const message = root.querySelector('#field-layout_config-rows-error');
    expect(message?.textContent).toBe('must be a whole number from 1 to 24');
    expect(rows.getAttribute('aria-describedby')).toContain('field-layout_config-rows-error');
    expect(document.activeElement).toBe(rows);
    // Nothing else is marked.
    expect(root.querySelectorAll('[aria-invalid="true"]')).toHaveLength(1);
  });

  it("shows a widget's overlap at that widget's row field", async () => {
    const refused = new ApiError(
      400,
      'VALIDATION_ERROR',
      'widget_configs[0].position: overlaps widget_configs[1] at row 0, column 0',
      {
        field: 'widget_configs[0].position',
      },
    );
    const { api } = fakeApi({
      'POST /api/analytics/dashboard-configurations/': () => {
        throw refused;
      },
    });
    render(<DashboardEditor api={api} id={null} />, root);
    await settle();
    await save();
    await settle();
    expect(root.querySelector('#field-widget_configs-0-position-row-error')?.textContent).toBe(
      'overlaps widget_configs[1] at row 0, column 0',
    );
  });

  it('replaces a stored dashboard with PUT and opens it', async () => {
    const stored = {
      id: 'd1',
      name: 'Ops',
      description: '',
      dashboard_type: 'OPERATIONAL',
      layout_config: { rows: 1, columns: 2 },
      widget_configs: [{ type: 'heatmap', position: { row: 0, column: 0 }, size: { width: 2, height: 1 } }],
      is_public: false,
      allowed_roles: ['manager'],
      auto_refresh_enabled: true,
      refresh_interval_seconds: 60,
      is_active: true,
      created_by: 'u1',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    };
    const { api, calls } = fakeApi({
      'GET /api/analytics/dashboard-configurations/d1/': stored,
      'PUT /api/analytics/dashboard-configurations/d1/': { ...stored, name: 'Ops 2' },
    });
    render(<DashboardEditor api={api} id="d1" />, root);
    await settle();
    expect(input('field-name').value).toBe('Ops');
    expect(input('field-allowed_roles').value).toBe('manager');
    await type('field-name', 'Ops 2');
    await save();
    await settle();
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({
      name: 'Ops 2',
      description: '',
      dashboard_type: 'OPERATIONAL',
      layout_config: { rows: 1, columns: 2 },
      widget_configs: stored.widget_configs,
      is_public: false,
      allowed_roles: ['manager'],
      auto_refresh_enabled: true,
      refresh_interval_seconds: 60,
      is_active: true,
    });
    expect(window.location.hash).toBe('#/dashboards/d1');
  });
});
