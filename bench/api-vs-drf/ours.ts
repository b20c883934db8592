/**
 * Our side: the peer's CSV ingested into a fresh DuckDB file (`engine.incidents.ingest`, the path
 * `insights ingest` takes), an analyst and its token, every KPI metric calculated once (as the peer's
 * `calculate_kpis --force`), all with the engine's clock at the data's end.
 */
import { openEngine } from '@incident-insights/engine';
import { timed } from '../timer.ts';

/** What the load needs of our prepared database. */
export interface OursPrepared {
  readonly token: string;
  readonly ingested: number;
  readonly ingestSeconds: number;
}

/** Ingests `csv` into a new database at `db` and prepares it for the load. */
export async function prepareOurs(db: string, csv: string, now: Date): Promise<OursPrepared> {
  const engine = await openEngine({ path: db, now: () => now });
  try {
    const ingest = await timed(() => engine.incidents.ingest({ path: csv, format: 'csv' }));
    await engine.auth.createUser({ username: 'bench', role: 'analyst' });
    const { key } = await engine.auth.createToken({ user: 'bench' });
    await engine.kpis.calculateAll();
    return { token: key, ingested: ingest.value.inserted, ingestSeconds: ingest.ms / 1000 };
  } finally {
    await engine.close();
  }
}
