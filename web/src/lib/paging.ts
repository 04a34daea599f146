/**
 * The API's lists are pages of `{ items, next_cursor }`: the options every `useInfiniteQuery` of such a list
 * shares, and the query parameters of one page.
 */
export const PAGE_SIZE = 50;

export const cursorPaging = {
  initialPageParam: null as string | null,
  getNextPageParam: (page: { next_cursor?: string | null }) => page.next_cursor ?? null,
};

/** `limit` and, after the first page, `cursor`. */
export function pageQuery(cursor: string | null, limit = PAGE_SIZE): { limit: number; cursor?: string } {
  return cursor ? { limit, cursor } : { limit };
}
