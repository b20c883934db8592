/**
 * Write generations per table: how many finished write sections touched each table, so an answer
 * remembered from a read of some tables stays good while only other tables are written (a token's
 * `last_used_at`, a job record). A statement whose target this cannot name for certain (DDL, a
 * `WITH ... INSERT`, several statements in one text, a bulk writer on the raw connection) counts as a
 * write of every table.
 */

/** The name `*`: a dependency on (or a write of) every table. */
export const everyTable = '*';

const identifier = String.raw`("(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*("(?:[^"]|"")+"|[A-Za-z_][\w$]*))*`;

/** Statements that write one named table, the name in the first groups. */
const targetedWrites = [
  new RegExp(String.raw`^INSERT\s+(?:OR\s+(?:REPLACE|IGNORE)\s+)?INTO\s+${identifier}`, 'i'),
  new RegExp(String.raw`^UPDATE\s+${identifier}`, 'i'),
  new RegExp(String.raw`^DELETE\s+FROM\s+${identifier}`, 'i'),
  new RegExp(String.raw`^MERGE\s+INTO\s+${identifier}`, 'i'),
  new RegExp(String.raw`^TRUNCATE\s+(?:TABLE\s+)?${identifier}`, 'i'),
  new RegExp(String.raw`^COPY\s+${identifier}\s*(?:\([^)]*\)\s*)?FROM\b`, 'i'),
];

/** Statements that change no table: reads, transaction control, settings, file exports. */
const harmless =
  /^(?:SELECT|FROM|VALUES|BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|CHECKPOINT|FORCE\s+CHECKPOINT|SET|RESET|PRAGMA|EXPLAIN|DESCRIBE|SHOW|SUMMARIZE|COPY\s*\()\b/i;

/** Drops leading white space and comments. */
function statementStart(sql: string): string {
  let text = sql.trimStart();
  for (;;) {
    if (text.startsWith('--')) {
      const end = text.indexOf('\n');
      text = end < 0 ? '' : text.slice(end + 1).trimStart();
    } else if (text.startsWith('/*')) {
      const end = text.indexOf('*/');
      text = end < 0 ? '' : text.slice(end + 2).trimStart();
    } else return text;
  }
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"').toLowerCase() : name.toLowerCase();
}

/**
 * The table a writing statement changes (lower case, schema dropped), `undefined` for a statement
 * that changes no table, or {@link everyTable} when it cannot be named for certain.
 */
export function writtenTable(sql: string): string | undefined {
  const text = statementStart(sql);
  const body = text.replace(/;\s*$/, '');
  // Several statements in one text: not worth reading apart.
  if (body.includes(';')) return everyTable;
  if (harmless.test(body)) return /^COPY\s*\(/i.test(body) && !/\bTO\b/i.test(body) ? everyTable : undefined;
  for (const pattern of targetedWrites) {
    const match = pattern.exec(body);
    if (!match) continue;
    const name = match[2] ?? match[1];
    return name ? unquote(name) : everyTable;
  }
  return everyTable;
}

/** The words of a read statement that may name a table: every identifier, lower case. */
export function readNames(sql: string): readonly string[] {
  const cached = namesBySql.get(sql);
  if (cached) return cached;
  const names = new Set<string>();
  for (const match of sql.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)/g)) {
    names.add(match[1] !== undefined ? unquote(`"${match[1]}"`) : (match[2] as string).toLowerCase());
  }
  const list = [...names];
  if (namesBySql.size >= 2000) namesBySql.clear();
  namesBySql.set(sql, list);
  return list;
}
const namesBySql = new Map<string, readonly string[]>();

/** The tables one write section touched, collected statement by statement. */
export class WriteLog {
  readonly tables = new Set<string>();

  /** Notes a statement run in the section. */
  statement(sql: string): void {
    const table = writtenTable(sql);
    if (table !== undefined) this.tables.add(table);
  }

  /** Notes a write the section made without SQL (an appender, vectors written directly). */
  anything(): void {
    this.tables.add(everyTable);
  }
}

/**
 * The generations of a database's tables: one counter per table written so far and one for writes
 * of every table. The generation of a set of tables is the sum of their counters and the
 * every-table counter, so it moves exactly when one of those tables (or every table) is written.
 */
export class TableGenerations {
  private readonly byTable = new Map<string, number>();
  private everything = 0;
  private total = 0;

  /** Records a finished write section. */
  finished(log: WriteLog): void {
    this.total++;
    if (log.tables.has(everyTable)) {
      this.everything++;
      return;
    }
    for (const table of log.tables) this.byTable.set(table, (this.byTable.get(table) ?? 0) + 1);
  }

  /** The generation of `tables` ({@link everyTable} among them: of every write). */
  of(tables: Iterable<string>): number {
    let sum = this.everything;
    for (const table of tables) {
      if (table === everyTable) return this.total;
      sum += this.byTable.get(table) ?? 0;
    }
    return sum;
  }

  /** A copy of the counters now, to learn later the generation some tables had at this moment. */
  snapshot(): TableGenerations {
    const copy = new TableGenerations();
    for (const [table, n] of this.byTable) copy.byTable.set(table, n);
    copy.everything = this.everything;
    copy.total = this.total;
    return copy;
  }
}
