import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

// Prometheus' own linter on a running server's /metrics. promtool comes with Debian's
// `prometheus` package, which .ci/run installs.
describe('/metrics under promtool check metrics', () => {
  let s: TestServer;
  let text: string;
  beforeAll(async () => {
    s = await startServer(); // runs queued jobs, no schedule
    const submitted = await s.fetch('/api/jobs/', { method: 'POST', as: 'admin', json: { kind: 'cleanup' } });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    expect((await s.engine.jobs.wait(id)).status).toBe('SUCCEEDED');
    await s.fetch('/api/incidents/', { as: 'viewer' });
    const res = await s.fetch('/metrics', { as: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    text = await res.text();
  });
  afterAll(() => s.close());

  it('passes the linter: exit code 0 and not a line of complaint', () => {
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (lint.error)
      throw new Error(`promtool did not run (apt-get install prometheus): ${lint.error.message}`);
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('');
    expect(lint.status).toBe(0);
  });

  it('shows the job that ran, the HTTP metrics and the process metrics', () => {
    const lines = text.split('\n');
    // One cleanup job ran and succeeded; nothing waits or runs now.
    expect(lines).toContain('insights_jobs_finished_total{kind="cleanup",status="SUCCEEDED"} 1');
    expect(lines).toContain('insights_jobs_finished_total{kind="cleanup",status="FAILED"} 0');
    expect(lines).toContain('insights_jobs_queued{kind="cleanup"} 0');
    expect(lines).toContain('insights_jobs_running{kind="cleanup"} 0');
    expect(lines).toContain('insights_job_duration_seconds_count{kind="cleanup",status="SUCCEEDED"} 1');
    expect(lines).toContain(
      'insights_job_duration_seconds_bucket{kind="cleanup",status="SUCCEEDED",le="+Inf"} 1',
    );
    expect(lines).toContain('http_requests_total{method="GET",route="/api/incidents/",status="200"} 1');
    expect(lines).toContain('# TYPE insights_worker_pool_queue_size gauge');
    for (const family of [
      'process_cpu_seconds_total counter',
      'process_resident_memory_bytes gauge',
      'nodejs_eventloop_lag_seconds gauge',
      'nodejs_gc_duration_seconds histogram',
      'nodejs_active_handles gauge',
      'process_open_fds gauge',
    ]) {
      expect(lines).toContain(`# TYPE ${family}`);
    }
    expect(lines.some((line) => /^process_resident_memory_bytes [1-9]\d*$/.test(line))).toBe(true);
  });
});
