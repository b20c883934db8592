import type { Engine } from '../../packages/engine/src/index.ts';
import { internalContext } from '../../packages/engine/src/internal.ts';
import { mulberry32 } from '../../packages/engine/src/random/mulberry32.ts';

/** One incident to plant: the columns recurrence reads, and an external id to find it by. */
export interface FixtureIncident {
  external_id: string;
  title: string;
  description: string | null;
  service: string | null;
  category: string | null;
  created_at: Date;
}

/** Inserts incidents straight into the store (one statement), filling the other columns plainly. */
export async function insertIncidents(engine: Engine, incidents: readonly FixtureIncident[]): Promise<void> {
  if (incidents.length === 0) return;
  // One statement; the store binds the arrays (the narrow transaction binds every parameter).
  await internalContext(engine).db.run(
    `INSERT INTO incidents BY NAME
     SELECT uuid() AS id, ext AS external_id, title, nullif(description, '') AS description,
       nullif(category, '') AS category, 'MEDIUM' AS severity, 'OPEN' AS status,
       nullif(service, '') AS service, created AS created_at, 0 AS escalation_level, 0 AS reopen_count,
       0 AS reassignment_count, created AS ingested_at, created AS updated_at
     FROM (SELECT unnest($ext) AS ext, unnest($title) AS title, unnest($description) AS description,
       unnest($service) AS service, unnest($category) AS category, unnest($created) AS created)`,
    {
      ext: incidents.map((i) => i.external_id),
      title: incidents.map((i) => i.title),
      description: incidents.map((i) => i.description ?? ''),
      service: incidents.map((i) => i.service ?? ''),
      category: incidents.map((i) => i.category ?? ''),
      created: incidents.map((i) => i.created_at),
    },
  );
}

/** Maps incident ids to external ids. */
export async function externalIds(engine: Engine): Promise<Map<string, string>> {
  const rows = await internalContext(engine).db.all('SELECT id::VARCHAR AS id, external_id FROM incidents');
  return new Map(rows.map((r) => [String(r['id']), String(r['external_id'])]));
}

/** A planted recurring group and its incidents' external ids. */
export interface PlantedGroup {
  name: string;
  periodHours?: number;
  ids: string[];
}

// 480 pseudo-words (consonant-vowel-consonant-vowel): random one-off incidents drawn from them
// share about 1 word in 30, as unrelated incident texts do, unlike a small vocabulary where any two
// random texts share a third of their words.
const syllables = ['ba', 'ke', 'lo', 'mi', 'nu', 'pa', 'ro', 'si', 'tu', 've', 'wo', 'za'];
const endings = ['n', 'r', 'x', 'l'];
const words = syllables
  .flatMap((a) => syllables.flatMap((b) => endings.map((c) => `${a}${b}${c}`)))
  .slice(0, 480);
const services = ['billing', 'checkout', 'search', 'auth', 'reporting', 'storage'];

/**
 * A month of incidents: `background` one-off incidents with random wording (no two alike) plus
 * planted recurring groups — exact repeats with varying numbers and hosts, reworded variants, and
 * periodic ones with jitter. Returns the incidents and the planted groups.
 */
export function plantedMonth(
  seed: number,
  background = 400,
): { incidents: FixtureIncident[]; planted: PlantedGroup[]; start: Date; end: Date } {
  const random = mulberry32(seed);
  const start = Date.UTC(2024, 0, 1);
  const span = 30 * 24 * 3_600_000;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const incidents: FixtureIncident[] = [];
  let n = 0;
  const add = (i: Omit<FixtureIncident, 'external_id'>) => {
    const external_id = `FX-${++n}`;
    incidents.push({ ...i, external_id });
    return external_id;
  };
  for (let i = 0; i < background; i++) {
    const phrase = (k: number) => Array.from({ length: k }, () => pick(words)).join(' ');
    add({
      title: `${phrase(4)} problem`,
      description: phrase(10),
      service: pick(services),
      category: pick(['Application', 'Database', 'Network']),
      created_at: new Date(start + random() * span),
    });
  }
  const planted: PlantedGroup[] = [];
  const exact = (
    name: string,
    service: string,
    count: number,
    title: (k: number) => string,
    description: (k: number) => string,
  ) => {
    const ids: string[] = [];
    for (let k = 0; k < count; k++) {
      const num = 2 + Math.floor(random() * 900);
      ids.push(
        add({
          title: title(num),
          description: description(num),
          service,
          category: 'Infrastructure',
          created_at: new Date(start + random() * span),
        }),
      );
    }
    planted.push({ name, ids });
  };
  exact(
    'disk-full',
    'billing',
    9,
    (k) => `Disk full on /var on billing-db-${k % 24}`,
    (k) => `Volume /var at ${90 + (k % 10)}% on 10.0.${k % 255}.4`,
  );
  exact(
    'cert-expired',
    'auth',
    6,
    (k) => `TLS certificate expired for sso-${k}.corp.example`,
    () => 'Clients reject the expired certificate; renew it.',
  );
  exact(
    'queue-backlog',
    'checkout',
    4,
    (k) => `Order queue backlog of ${k} messages`,
    (k) => `Consumer lag ${k} s on order-events partition ${k % 12}`,
  );
  // Reworded variants of one problem: similar text, more than one fingerprint.
  const variants = [
    [
      'Payment gateway timeout during card authorisation',
      'Card authorisation calls to the payment gateway time out after 30 s',
    ],
    [
      'Payment gateway timeouts on card authorisation',
      'Card authorisation requests to the payment gateway timed out after 30 s',
    ],
    [
      'Card authorisation: payment gateway timeout',
      'Card authorisation calls to the payment gateway time out after 30 s, retries fail',
    ],
  ] as const;
  const similar: string[] = [];
  for (let k = 0; k < 8; k++) {
    const [title, description] = variants[k % variants.length]!;
    similar.push(
      add({
        title,
        description,
        service: 'checkout',
        category: 'Application',
        created_at: new Date(start + random() * span),
      }),
    );
  }
  planted.push({ name: 'gateway-timeout', ids: similar });
  // Periodic: a nightly job failing at 02:15 ± 10 min, one night skipped.
  const nightly: string[] = [];
  for (let d = 0; d < 30; d++) {
    if (d === 11) continue;
    const at = start + d * 86_400_000 + 2.25 * 3_600_000 + (random() - 0.5) * 20 * 60_000;
    const code = 2 + Math.floor(random() * 200);
    nightly.push(
      add({
        title: `Nightly export job failed with exit code ${code}`,
        description: `Step ${code} hit a lock timeout`,
        service: 'reporting',
        category: 'Application',
        created_at: new Date(at),
      }),
    );
  }
  planted.push({ name: 'nightly-export', periodHours: 24, ids: nightly });
  return { incidents, planted, start: new Date(start), end: new Date(start + span) };
}

/** Jaccard similarity of two id sets. */
export function setJaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let common = 0;
  for (const x of sa) if (sb.has(x)) common++;
  return common / (sa.size + sb.size - common);
}

/**
 * Group-level precision and recall: a found group matches a planted one when their incident sets
 * have Jaccard similarity ≥ 0.5 (so each found group matches at most one planted group).
 */
export function groupPrecisionRecall(
  found: readonly string[][],
  planted: readonly string[][],
): { precision: number; recall: number } {
  const matches = (f: readonly string[], p: readonly string[]) => setJaccard(f, p) >= 0.5;
  const truePositives = found.filter((f) => planted.some((p) => matches(f, p))).length;
  const recalled = planted.filter((p) => found.some((f) => matches(f, p))).length;
  return {
    precision: found.length ? truePositives / found.length : 0,
    recall: planted.length ? recalled / planted.length : 0,
  };
}
