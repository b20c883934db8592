import { useState } from 'preact/hooks';
import type { DrfPage } from '../../api.ts';

/** Page sizes offered; the API clamps above 100. */
const pageSizes = [10, 25, 50, 100];

/** Paging of a DRF list: previous/next, where we are, and the page size. */
export function Pager(props: {
  page: DrfPage<unknown>;
  pageNumber: number;
  pageSize: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}) {
  const { page, pageNumber, pageSize } = props;
  const pages = Math.max(1, Math.ceil(page.count / pageSize));
  return (
    <nav class="pager" aria-label="Pages">
      <button
        type="button"
        class="button small"
        disabled={page.previous === null}
        onClick={() => props.onPage(pageNumber - 1)}
      >
        Previous
      </button>
      <span>
        Page {pageNumber} of {pages} ({page.count} in all)
      </span>
      <button
        type="button"
        class="button small"
        disabled={page.next === null}
        onClick={() => props.onPage(pageNumber + 1)}
      >
        Next
      </button>
      <label>
        Page size{' '}
        <select
          value={String(pageSize)}
          onChange={(e) => props.onPageSize(Number((e.currentTarget as HTMLSelectElement).value))}
        >
          {pageSizes.map((size) => (
            <option key={size} value={String(size)}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}

/**
 * The page number and size of a DRF list, and the {@link Pager}'s props for a loaded page: a new
 * page size goes back to page 1 (callers do the same with `setPage(1)` when a filter changes).
 */
export function usePaging(initialSize = 25) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialSize);
  const pagerProps = (data: DrfPage<unknown>) => ({
    page: data,
    pageNumber: page,
    pageSize,
    onPage: setPage,
    onPageSize: (size: number) => {
      setPageSize(size);
      setPage(1);
    },
  });
  return { page, pageSize, setPage, pagerProps };
}

/** A column header that orders the list by `field` (again: descending), with `aria-sort`. */
export function SortHeader(props: {
  field: string;
  label: string;
  ordering: string;
  onOrder: (o: string) => void;
}) {
  const { field, ordering } = props;
  const direction = ordering === field ? 'ascending' : ordering === `-${field}` ? 'descending' : 'none';
  const next = direction === 'ascending' ? `-${field}` : field;
  return (
    <th scope="col" aria-sort={direction}>
      <button type="button" class="sort" onClick={() => props.onOrder(next)}>
        {props.label}
        {direction === 'ascending' ? ' ▲' : direction === 'descending' ? ' ▼' : ''}
      </button>
    </th>
  );
}

/** An instant for people, `2024-03-04 09:30 UTC`; a dash for none. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
