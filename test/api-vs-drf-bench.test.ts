/**
 * The pure pieces of the DRF comparison (`bench/api-vs-drf`): which endpoints `--endpoints` selects,
 * when an endpoint is too slow for wrk, and the vocabulary read from the head of the peer's file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvVocabulary, endpoints, selectedNames } from '../bench/api-vs-drf/endpoints.ts';
import { measurementFor } from '../bench/api-vs-drf/wrk.ts';

describe('--endpoints', () => {
  it('selects every read and both writes when absent', () => {
    expect([...selectedNames(undefined)]).toEqual([...endpoints.map((e) => e.name), 'post', 'bulk']);
  });

  it('selects the names given, `writes` standing for the POST loops and the bulk load', () => {
    expect([...selectedNames('summary, deep-page,writes')]).toEqual(['summary', 'deep-page', 'post', 'bulk']);
  });

  it('rejects an unknown or empty list, naming the known names', () => {
    expect(() => selectedNames('summary,sumary')).toThrow(
      /unknown sumary; known: kpi-metrics, .*summary, post, bulk, writes/,
    );
    expect(() => selectedNames(' , ')).toThrow(/unknown \(empty list\)/);
  });
});

describe('measurementFor', () => {
  const load = { seconds: 10, connections: 16 };

  it('keeps wrk with its 30 s timeout while the peer answers often enough', () => {
    // 10 s × 2 workers / 50 ms = 400 answers; queue 8 × 0.05 s: far below 30 s.
    expect(measurementFor(50, load)).toEqual({ kind: 'wrk', timeoutSeconds: 30 });
  });

  it('raises the timeout above the queue a slow answer builds', () => {
    // 10 s × 2 / 1,900 ms = 10.5 answers: still wrk; 16 connections on 2 workers wait 8 × 1.9 s = 15.2 s,
    // twice that rounded up is 31 s.
    expect(measurementFor(1900, load)).toEqual({ kind: 'wrk', timeoutSeconds: 31 });
  });

  it('measures single requests when wrk would get fewer than 10 answers in the duration', () => {
    // 10 s × 2 / 2,100 ms = 9.5 answers; the 2,000,000-row summary (about 100 s) is far past it.
    expect(measurementFor(2100, load)).toEqual({ kind: 'single' });
    expect(measurementFor(100_000, { seconds: 60, connections: 16 })).toEqual({ kind: 'single' });
  });
});

describe('csvVocabulary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'api-vs-drf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads whole lines of the head only, so a line cut at the end adds no partial value', () => {
    const header = 'id,external_id,title,description,category,severity,priority,status,service,team';
    const row = (n: number, severity: string, service: string) =>
      `${n},EXT-${n},Disk full in ${service},${'d'.repeat(150)},Infra,${severity},P3,OPEN,${service},ops`;
    // About 10,000 rows of 200 bytes (fewer than the 20,000 lines read), then one straddling the 2,000,000th byte.
    const rows = [header];
    let size = header.length + 1;
    for (let n = 0; size < 2_000_000 - 200; n++) {
      const line = row(n, n % 2 ? 'HIGH' : 'LOW', n % 3 ? 'payments' : 'search');
      rows.push(line);
      size += line.length + 1;
    }
    // The last row is cut inside its service (`we|b`): read whole, it would add CRITICAL, `we` and `Padding x…`.
    const cutRow = (padding: string) =>
      `9999999,EXT-pad,Padding ${padding} in web,d,Infra,CRITICAL,P1,OPEN,we`;
    rows.push(`${cutRow('x'.repeat(2_000_000 - size - cutRow('').length))}b,ops`);
    const file = join(dir, 'head.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    expect(csvVocabulary(file)).toEqual({
      services: ['payments', 'search'],
      severities: ['HIGH', 'LOW'],
      titlePhrases: ['Disk full'],
    });
  });
});
