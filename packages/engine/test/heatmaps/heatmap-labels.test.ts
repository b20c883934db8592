import { describe, expect, it } from 'vitest';
import { columnEntry, isoWeekLabel, rowEntry } from '../../src/heatmaps/heatmap-labels.ts';

describe('heatmap labels', () => {
  it('names ISO weeks across year ends as Python date.isocalendar() does', () => {
    // Python: date(2021, 1, 1).isocalendar()[:2] == (2020, 53); (2024, 12, 30) → (2025, 1);
    // (2026, 1, 1) → (2026, 1); (2027, 1, 3) → (2026, 53); (2024, 3, 4) → (2024, 10).
    const cases: [string, string][] = [
      ['2021-01-01', '2020-W53'],
      ['2024-12-30', '2025-W01'],
      ['2026-01-01', '2026-W01'],
      ['2027-01-03', '2026-W53'],
      ['2024-03-04', '2024-W10'],
    ];
    for (const [day, label] of cases) expect(isoWeekLabel(new Date(`${day}T00:00:00Z`)), day).toBe(label);
  });

  it('keys and labels rows and columns readably', () => {
    expect(rowEntry('weekday', 7)).toEqual({ key: '7', label: 'Sunday' });
    expect(rowEntry('service', null)).toEqual({ key: '', label: '(no service)' });
    expect(rowEntry('category', 'network')).toEqual({ key: 'network', label: 'network' });
    expect(columnEntry('hour_of_day', 7)).toEqual({ key: '7', label: '07:00' });
    const monday = new Date('2024-12-30T00:00:00Z');
    expect(columnEntry('day', monday)).toEqual({ key: '2024-12-30', label: 'Mon 30 Dec 2024' });
    expect(columnEntry('week', monday)).toEqual({ key: '2024-12-30', label: '2025-W01' });
    expect(columnEntry('month', new Date('2024-12-01T00:00:00Z'))).toEqual({
      key: '2024-12',
      label: 'Dec 2024',
    });
  });
});
