import { useInfiniteQuery } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap } from "@/api/problem";

export const accountKeys = {
  sessions: ["auth", "sessions"] as const,
  tokens: ["auth", "tokens"] as const,
  notifications: ["auth", "notifications"] as const,
};

const PAGE_SIZE = 50;

/** The account's sign-in sessions, page by page. */
export function useSessions() {
  return useInfiniteQuery({
    queryKey: accountKeys.sessions,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/auth/sessions", { params: { query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined } } }),
      ),
    getNextPageParam: (page) => page.next_cursor,
    select: (data) => data.pages.flatMap((page) => page.items),
  });
}

/** The account's personal API tokens, page by page. */
export function useApiTokens() {
  return useInfiniteQuery({
    queryKey: accountKeys.tokens,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/auth/tokens", { params: { query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined } } }),
      ),
    getNextPageParam: (page) => page.next_cursor,
    select: (data) => data.pages.flatMap((page) => page.items),
  });
}
