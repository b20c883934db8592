import type { Database, Transaction } from './database.ts';
import { inTransaction } from './transaction.ts';

/** What a batch writer says of one item: written, with the caller's answer, or refused alone. */
export type ItemOutcome<Answer> =
  | { readonly ok: true; readonly answer: Answer }
  | { readonly ok: false; readonly error: unknown };

/**
 * Writes several items in the caller's write section (in a transaction, unless the writer makes one
 * writing statement), in the order given, as if they were written one after another: an item that
 * would fail alone (a conflict with the table or with an earlier item of the batch) is refused and
 * writes nothing, the others are written. It throws only when the batch as a whole could not be
 * written (nothing of it is then left written).
 */
export type BatchWriter<Item, Answer> = (
  tx: Transaction,
  items: readonly Item[],
) => Promise<ItemOutcome<Answer>[]>;

/** Items one batch gathers at most (the statements bind a few parameters per item and column). */
const maxBatch = 64;

/** How a {@link GroupCommit} writes its batches. */
export interface GroupCommitOptions {
  /**
   * The writer changes the database with one statement at most, after any reads (each batch holds
   * the write lock, so nothing is written between its reads and its statement). That statement
   * commits by itself, all or nothing, so no transaction is opened around the batch: BEGIN and
   * COMMIT would be two more round trips to DuckDB for every batch.
   */
  readonly oneWritingStatement?: boolean;
}

interface Waiting<Item, Answer> {
  readonly item: Item;
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit of single-record writes. Each {@link submit} queues its item; when the database's
 * write lock comes free, every item queued by then is written in one transaction by the
 * {@link BatchWriter} (one statement for the batch where it can), and each caller gets its own
 * answer or its own error. An item arriving while nothing is queued or writing starts its
 * transaction at once: nothing waits on a timer. When the batch transaction fails as a whole, it is
 * rolled back and each item is written again alone in its own transaction, so every caller gets
 * exactly the outcome it would have had alone and nothing is half-written. The section counts as
 * one write section per item (see {@link Database.exclusiveGathered}), and callers are answered
 * only after it has finished, so a read after an answer sees the write.
 */
export class GroupCommit<Item, Answer> {
  private queue: Waiting<Item, Answer>[] = [];
  private scheduled = false;

  private readonly atomically: <T>(tx: Transaction, work: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly db: Database,
    private readonly write: BatchWriter<Item, Answer>,
    options: GroupCommitOptions = {},
  ) {
    this.atomically = options.oneWritingStatement ? (_tx, work) => work() : inTransaction;
  }

  /** Writes `item` (with whatever else is queued) and returns its answer, or throws its own error. */
  submit(item: Item): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    void this.flush();
  }

  private async flush(): Promise<void> {
    let taken: Waiting<Item, Answer>[] = [];
    let outcomes: ItemOutcome<Answer>[] = [];
    try {
      outcomes = await this.db.exclusiveGathered(async (tx) => {
        // What is queued once the lock is ours is the batch; later arrivals go to the next one.
        taken = this.queue.splice(0, maxBatch);
        this.scheduled = false;
        this.schedule();
        if (taken.length === 0) return { value: [], written: 0, unwritten: 0 };
        const value = await this.writeAll(tx, taken);
        const written = value.filter((o) => o.ok).length;
        return { value, written, unwritten: value.length - written };
      });
    } catch (error) {
      // The section itself failed: before taking the batch (a closed database), every queued caller
      // hears of it; after (not expected: writeAll answers every item), the batch's callers do.
      if (taken.length > 0) for (const waiting of taken) waiting.reject(error);
      else {
        this.scheduled = false;
        for (const waiting of this.queue.splice(0)) waiting.reject(error);
      }
      return;
    }
    taken.forEach((waiting, i) => {
      const outcome = outcomes[i] as ItemOutcome<Answer>;
      if (outcome.ok) waiting.resolve(outcome.answer);
      else waiting.reject(outcome.error);
    });
  }

  /** The batch in one transaction; when that fails as a whole, each item in a transaction of its own. */
  private async writeAll(
    tx: Transaction,
    taken: readonly Waiting<Item, Answer>[],
  ): Promise<ItemOutcome<Answer>[]> {
    const items = taken.map((w) => w.item);
    try {
      return await this.atomically(tx, () => this.write(tx, items));
    } catch (error) {
      if (items.length === 1) return [{ ok: false, error }];
    }
    const outcomes: ItemOutcome<Answer>[] = [];
    for (const item of items) {
      try {
        outcomes.push(...(await this.atomically(tx, () => this.write(tx, [item]))));
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }
}
