import { useInfiniteQuery } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap } from "@/api/problem";
import { cursorPaging, pageQuery } from "@/lib/paging";

export const accountKeys = {
  sessions: ["auth", "sessions"] as const,
  tokens: ["auth", "tokens"] as const,
  notifications: ["auth", "notifications"] as const,
};

/** The account's sign-in sessions, page by page. */
export function useSessions() {
  return useInfiniteQuery({
    queryKey: accountKeys.sessions,
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/auth/sessions", { params: { query: pageQuery(pageParam) } })),
    ...cursorPaging,
    select: (data) => data.pages.flatMap((page) => page.items),
  });
}

/** The account's personal API tokens, page by page. */
export function useApiTokens() {
  return useInfiniteQuery({
    queryKey: accountKeys.tokens,
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/auth/tokens", { params: { query: pageQuery(pageParam) } })),
    ...cursorPaging,
    select: (data) => data.pages.flatMap((page) => page.items),
  });
}
