/** Explore: the popular posts and the trending hashtags of the last week (one ranked page each). */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { Schemas } from "@/api/problem";
import { unwrap } from "@/api/problem";
import { cursorPaging } from "@/lib/paging";
import { networkApi } from "../api";

export type TrendingHashtag = Schemas["TrendingHashtag"];

/** Keys under "network", so signing in or out forgets them with the rest. */
export const exploreKeys = {
  posts: ["network", "explore", "posts"] as const,
  hashtags: ["network", "explore", "hashtags"] as const,
};

/** An infinite query in shape, for the post grid; its one page has no next cursor. */
export function useExplorePosts() {
  return useInfiniteQuery({
    queryKey: exploreKeys.posts,
    queryFn: () => unwrap(networkApi.GET("/network/api/v1/explore/posts")),
    ...cursorPaging,
  });
}

export function useTrendingHashtags() {
  return useQuery({
    queryKey: exploreKeys.hashtags,
    queryFn: async () => (await unwrap(networkApi.GET("/network/api/v1/explore/hashtags"))).items,
  });
}
