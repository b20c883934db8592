/**
 * The endpoints the benchmark loads, each as a list of paths varied across requests (pages, page
 * sizes, filters, search terms, incidents) so that it measures the engine and not one cached answer.
 * The lists are built the same way on both servers from what the data holds.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** What the varied paths are built from. */
export interface Catalog {
  readonly services: readonly string[];
  readonly severities: readonly string[];
  /** Phrases that occur in titles only (the part before " in <service>"). */
  readonly titlePhrases: readonly string[];
  /** Incidents of one server (their ids differ between servers). */
  readonly incidentIds: readonly string[];
  /** Incidents in the database, for the deep page. */
  readonly incidentCount: number;
}

/** One benchmarked endpoint. */
export interface Endpoint {
  /** Its short name for `--endpoints`. */
  readonly name: string;
  /** As printed in the table. */
  readonly label: string;
  readonly paths: (catalog: Catalog) => string[];
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** The deep page: page 5,000 onwards at 20 a page, or the last 100 pages when there are fewer. */
function deepPages(incidentCount: number): number[] {
  const lastPage = Math.max(1, Math.ceil(incidentCount / 20));
  const first = lastPage >= 5099 ? 5000 : Math.max(1, lastPage - 99);
  return range(first, Math.min(100, lastPage - first + 1));
}

/** The endpoints that both servers have (the anomaly list has no peer equivalent). */
export const endpoints: readonly Endpoint[] = [
  {
    name: 'kpi-metrics',
    label: '`GET /api/analytics/kpi-metrics/`',
    paths: () => range(10, 20).map((size) => `/api/analytics/kpi-metrics/?page_size=${size}`),
  },
  {
    name: 'first-page',
    label: '`GET /api/incidents/?page_size=20` (first page; sizes 11 to 30)',
    paths: () => range(11, 20).map((size) => `/api/incidents/?page_size=${size}`),
  },
  {
    name: 'deep-page',
    label: '`GET /api/incidents/?page=5000` (deep: pages 5,000 to 5,099, or the last 100)',
    paths: (c) => deepPages(c.incidentCount).map((page) => `/api/incidents/?page_size=20&page=${page}`),
  },
  {
    name: 'filter',
    label: '`GET /api/incidents/?service=&severity=` (every pair)',
    paths: (c) =>
      c.services.flatMap((service) =>
        c.severities.map((severity) => `/api/incidents/?service=${service}&severity=${severity}`),
      ),
  },
  {
    name: 'search',
    label: '`GET /api/incidents/?search=` (title phrases)',
    paths: (c) => c.titlePhrases.map((phrase) => `/api/incidents/?search=${encodeURIComponent(phrase)}`),
  },
  {
    name: 'ordering',
    label: '`GET /api/incidents/?ordering=priority` (pages 1 to 50)',
    paths: () => range(1, 50).map((page) => `/api/incidents/?ordering=priority&page=${page}`),
  },
  {
    name: 'detail',
    label: '`GET /api/incidents/{id}/` (100 incidents)',
    paths: (c) => c.incidentIds.map((id) => `/api/incidents/${id}/`),
  },
  {
    name: 'measurements',
    label: '`GET /api/analytics/kpi-measurements/`',
    paths: () => range(10, 20).map((size) => `/api/analytics/kpi-measurements/?page_size=${size}`),
  },
  {
    name: 'summary',
    label: '`GET /api/analytics/kpi-metrics/summary/`',
    paths: () => ['/api/analytics/kpi-metrics/summary/'],
  },
];

/**
 * Services, severities and title phrases of the peer's CSV (its columns: `title` third, `severity`
 * sixth, `service` ninth; the generator writes no quoted fields in the first rows read here).
 */
export function csvVocabulary(csv: string): Pick<Catalog, 'services' | 'severities' | 'titlePhrases'> {
  const lines = fileHead(csv, 2_000_000).split('\n').slice(1, -1).slice(0, 20_000); // the last may be cut
  const services = new Set<string>();
  const severities = new Set<string>();
  const phrases = new Set<string>();
  for (const line of lines) {
    if (line.includes('"')) continue;
    const fields = line.split(',');
    const [title, severity, service] = [fields[2], fields[5], fields[8]];
    if (!title || !severity || !service) continue;
    services.add(service);
    severities.add(severity);
    const phrase = title.split(' in ')[0];
    if (phrase && phrase !== title) phrases.add(phrase);
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return { services: sorted(services), severities: sorted(severities), titlePhrases: sorted(phrases) };
}

/** The first `bytes` of a file as text (a 2,000,000-incident file is larger than a string can hold). */
function fileHead(file: string, bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  const fd = openSync(file, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** What `--endpoints` may name beyond the reads: the POST loops and the bulk load. */
const writeNames = ['post', 'bulk'] as const;

/**
 * The names `--endpoints` selects (a comma-separated list of {@link Endpoint.name}s and
 * {@link writeNames}; `writes` stands for both writes), or every name when the list is absent.
 * An unknown name is an error that lists the known ones.
 */
export function selectedNames(list: string | undefined): Set<string> {
  const known = [...endpoints.map((e) => e.name), ...writeNames];
  if (list === undefined) return new Set(known);
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .flatMap((name) => (name === 'writes' ? [...writeNames] : [name]));
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0 || names.length === 0)
    throw new Error(
      `--endpoints: unknown ${unknown.join(', ') || '(empty list)'}; known: ${known.join(', ')}, writes`,
    );
  return new Set(names);
}
