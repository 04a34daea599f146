/** The home feed: the posts of the people the viewer follows, newest first, a page at a time. */
import { useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";
import type { QueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "@/api/problem";
import { cursorPaging, pageQuery } from "@/lib/paging";
import { networkApi } from "../api";

export type FeedItem = Schemas["FeedItem"];
type FeedPage = { items: FeedItem[]; next_cursor?: string | null };

export const feedKey = ["network", "feed"] as const;
/** Each item carries its images and two comments: a small page keeps the first paint quick. */
export const FEED_PAGE = 10;

export function useFeed() {
  return useInfiniteQuery({
    queryKey: feedKey,
    queryFn: ({ pageParam }) =>
      unwrap(networkApi.GET("/network/api/v1/feed", { params: { query: pageQuery(pageParam, FEED_PAGE) } })),
    ...cursorPaging,
  });
}

/** Puts a like's answer on the feed's copy of the post (the post page's cache is updated by its own mutation). */
export function patchFeedLike(queryClient: QueryClient, postId: string, status: Schemas["LikeStatus"]) {
  queryClient.setQueryData<InfiniteData<FeedPage>>(feedKey, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((item) =>
              item.id === postId ? { ...item, liked_by_viewer: status.liked, like_count: status.like_count } : item,
            ),
          })),
        }
      : data,
  );
}
