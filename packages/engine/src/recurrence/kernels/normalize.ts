/**
 * English function words and incident-report filler that carry no meaning for recurrence. Kept
 * small on purpose: words like `down`, `not` or `failed` are symptoms, not stop words.
 */
const stopWords: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then else of on in at to for from by with without into onto over under ' +
    "is are was were be been being am has have had do does did this that these those it its it's " +
    'as than so such there here when while where which who whom what why how all any each few more ' +
    'most other some same own very can will just should would could may might must shall also again ' +
    'we our us you your they their them he she his her i me my please pls hi hello team thanks ' +
    'thank regards issue incident ticket user users reported reports report seeing seen see getting ' +
    'get got via per about after before since until up'
  ).split(' '),
);

/**
 * Words that name a symptom of an outage or degradation; the symptom terms of a fingerprint are the
 * incident's words found here (after normalisation), so "DB timeout" and "DB disk full" on the same
 * service with the same title keep apart.
 */
const symptomLexicon: ReadonlySet<string> = new Set(
  (
    'timeout timeouts timed latency slow slowness degraded degradation unavailable unreachable down ' +
    'outage crash crashed crashing crashloop restart restarts restarting hang hung freeze frozen ' +
    'error errors exception exceptions fail failed failing failure failures refused reset rejected ' +
    'denied unauthorized forbidden expired expiry expiring certificate cert disk full space quota ' +
    'memory oom leak cpu load saturation saturated throttled throttling backlog queue lag replication ' +
    'deadlock lock locked corrupt corrupted corruption missing lost loss packet dns ssl tls handshake ' +
    'connection connections pool exhausted overflow overloaded spike spikes flapping unhealthy ' +
    'heartbeat partition split brain stale stuck blocked login authentication password mismatch ' +
    'invalid bounce bounced delayed delay duplicate duplicates'
  )
    .split(' ')
    .map(singular),
);

const emailPattern = /\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g;

// Order matters: whole identifiers (UUIDs, e-mails, URLs' hosts, IPs, dates) go before the
// token-level rules, which would otherwise cut them into meaningful-looking fragments.
const patterns: readonly RegExp[] = [
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, // UUID
  emailPattern,
  /\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, // IPv4 with optional port
  /\b([0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/g, // IPv6 (full or mostly full form)
  /\b\d{4}-\d{2}-\d{2}([t ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?)?\b/g, // ISO date/time
  /\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g, // d/m/y or m/d/y
  /\b\d{1,2}:\d{2}(:\d{2})?\b/g, // clock time
  /\b0x[0-9a-f]+\b/g, // hex literal
  /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/g, // hex id (hash, commit, trace id)
];

/**
 * Normalises incident text for comparison: lower-case; removes UUIDs, e-mail addresses, IP
 * addresses, dates, clock times, hex ids and digits; turns punctuation into spaces; drops stop words
 * and one-letter tokens; reduces plurals to the singular. "Disk full on /var (95%) at db-01
 * 2024-01-02" → `disk full var db`. Coded values (see {@link codeTokens}) are kept, after the
 * words: "Category 26 / Symptom 491" → `category symptom category:26 symptom:491`.
 *
 * Pure; O(length of the text).
 */
export function normalizeTokens(text: string | null | undefined): string[] {
  if (!text) return [];
  let s = text.toLowerCase();
  const codes = /\d/.test(s) ? codeTokens(s) : [];
  // Every identifier pattern but the e-mail one needs a digit; most titles have none.
  if (/\d/.test(s)) {
    for (const pattern of patterns) s = s.replace(pattern, ' ');
    s = s.replace(/\d+/g, ' ');
  } else if (s.includes('@')) {
    s = s.replace(emailPattern, ' ');
  }
  const tokens = s.split(/[^\p{L}]+/u);
  const out: string[] = [];
  for (const token of tokens) {
    if (token.length < 2 || stopWords.has(token)) continue;
    out.push(singular(token));
  }
  for (const code of codes) out.push(code);
  return out;
}

/** Separators of the segments of a text: slash, bar, semicolon, and `.`, `,` or `:` before a space. */
const segmentSeparator = /[/|;]|[.,:](?=\s|$)/;
/** A segment that is only a label of one or two words and a number: "Symptom 491", "Closed code 5". */
const labelledCode = /^(\p{L}+(?:[ _-]\p{L}+)?)\s+#?(\d+)$/u;

/**
 * The coded values of a lower-cased text: each segment (see {@link segmentSeparator}) that is
 * nothing but a label and a number ("Category 26 / Subcategory 174 / Symptom 491", "Location:
 * Location 204.") gives the token `label:number` (`category:26`, `symptom:491`). Templated exports
 * (ServiceNow, ticket systems) write their categories, symptoms and configuration items this way;
 * the number is what tells them apart, where a number inside a sentence ("exit code 137", "node 7")
 * is a measurement or an id. Stripping every digit would make all such titles one.
 */
export function codeTokens(text: string): string[] {
  const out: string[] = [];
  for (const segment of text.split(segmentSeparator)) {
    const m = labelledCode.exec(segment.trim());
    if (m) out.push(`${m[1]!.replace(/[ -]/g, '_')}:${m[2]}`);
  }
  return out;
}

/**
 * A light stemmer for English plurals only ("timeouts" → "timeout", "replicas" → "replica",
 * "retries" → "retry"); words ending in -ss, -us, -is and words of three letters or fewer keep
 * their ending. Verb forms are left alone: rules for them misfire more often than they help here.
 */
function singular(token: string): string {
  if (token.length <= 3) return token;
  if (token.endsWith('ies') && token.length > 4) return `${token.slice(0, -3)}y`;
  if (token.endsWith('s') && !/(ss|us|is)$/.test(token)) return token.slice(0, -1);
  return token;
}

/** {@link normalizeTokens} joined by single spaces. */
export function normalizeText(text: string | null | undefined): string {
  return normalizeTokens(text).join(' ');
}

/** The symptom terms among `tokens`, distinct and sorted. */
function symptomTerms(tokens: readonly string[]): string[] {
  const found = new Set<string>();
  for (const token of tokens) if (symptomLexicon.has(token)) found.add(token);
  return [...found].sort();
}

/** What an incident's fingerprint is made of, each part already normalised. */
export interface FingerprintParts {
  /** Normalised title. */
  readonly title: string;
  /** Service, trimmed and lower-cased; empty when unknown. */
  readonly service: string;
  /** Category, trimmed and lower-cased; empty when unknown. */
  readonly category: string;
  /** Symptom terms of title and description, sorted. */
  readonly symptoms: readonly string[];
}

/**
 * The parts of an incident's fingerprint: normalised title, service, category and the symptom terms
 * of title and description. Two incidents with equal parts are the same problem recurring.
 */
export function fingerprintParts(incident: {
  title: string;
  description?: string | null;
  service?: string | null;
  category?: string | null;
}): FingerprintParts {
  return partsFromTokens(
    normalizeTokens(incident.title),
    normalizeTokens(incident.description),
    incident.service,
    incident.category,
  );
}

/** {@link fingerprintParts} from title and description already passed through {@link normalizeTokens}. */
export function partsFromTokens(
  titleTokens: readonly string[],
  descriptionTokens: readonly string[],
  service: string | null | undefined,
  category: string | null | undefined,
): FingerprintParts {
  return {
    title: titleTokens.join(' '),
    service: (service ?? '').trim().toLowerCase(),
    category: (category ?? '').trim().toLowerCase(),
    symptoms: symptomTerms([...titleTokens, ...descriptionTokens]),
  };
}

/**
 * The fingerprint of an incident: a 16-hex-digit hash of its {@link fingerprintParts}
 * (two independent 32-bit FNV-1a hashes of the joined parts). Deterministic across runs and
 * processes; equal parts give equal fingerprints, and a collision of different parts has
 * probability about 2^-64 per pair.
 */
export function fingerprintOf(parts: FingerprintParts): string {
  const key = `${parts.title}\u0001${parts.service}\u0001${parts.category}\u0001${parts.symptoms.join(' ')}`;
  return hex32(fnv1a(key, 0x811c9dc5)) + hex32(fnv1a(key, 0x01000193 ^ 0x5bd1e995));
}

/**
 * FNV-1a (Fowler, Noll, Vo) 32-bit hash of a string's UTF-16 code units, from basis `seed`.
 * O(length).
 */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
