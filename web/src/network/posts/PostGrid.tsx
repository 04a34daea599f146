/** Three columns of square thumbnails, each a link to its post (profiles and hashtags); reels are marked. */
import { Clapperboard, Copy, Heart, MessageCircle } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { ErrorState, Skeleton } from "@/components/ui/States";
import type { GridItem } from "./queries";

interface GridQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data?: { pages: { items: GridItem[] }[] } | undefined;
  refetch: () => Promise<unknown>;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

export function PostGrid({ query, empty }: { query: GridQuery; empty: React.ReactNode }) {
  const { t } = useTranslation("network");
  if (query.isPending) return <GridSkeleton />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  if (items.length === 0) return <>{empty}</>;
  return (
    <div>
      <ul className="grid grid-cols-3 gap-0.5 sm:gap-1" aria-label={t("grid.label")}>
        {items.map((item) => (
          <li key={item.id}>
            <GridTile item={item} />
          </li>
        ))}
      </ul>
      <LoadMoreButton query={query} />
    </div>
  );
}

function GridTile({ item }: { item: GridItem }) {
  const { t } = useTranslation("network");
  const reel = item.kind === "reel";
  const label = t(reel ? "stories:grid.reel" : "grid.post", {
    likes: t("post.likes", { count: item.like_count, formatted: item.like_count.toLocaleString() }),
    comments: t("comments.count", { count: item.comment_count }),
  });
  return (
    <Link
      to={`/network/p/${item.id}`}
      aria-label={label}
      className="group relative block aspect-square overflow-hidden bg-zinc-100 dark:bg-zinc-800"
    >
      {item.thumbnail_url && (
        <img src={item.thumbnail_url} alt="" loading="lazy" className="h-full w-full object-cover" />
      )}
      {reel ? (
        <Clapperboard aria-hidden className="absolute right-1.5 top-1.5 h-4 w-4 text-white drop-shadow" />
      ) : (
        item.media_count > 1 && (
          <Copy aria-hidden className="absolute right-1.5 top-1.5 h-4 w-4 text-white drop-shadow" />
        )
      )}
      <span
        aria-hidden
        className="absolute inset-0 hidden items-center justify-center gap-4 bg-black/40 text-sm font-semibold text-white group-hover:flex group-focus-visible:flex"
      >
        <span className="flex items-center gap-1">
          <Heart className="h-4 w-4 fill-white" />
          {item.like_count}
        </span>
        <span className="flex items-center gap-1">
          <MessageCircle className="h-4 w-4 fill-white" />
          {item.comment_count}
        </span>
      </span>
    </Link>
  );
}

export function GridSkeleton() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("loading")} className="grid grid-cols-3 gap-0.5 sm:gap-1">
      {Array.from({ length: 9 }, (_, index) => (
        <Skeleton key={index} className="aspect-square rounded-none" />
      ))}
    </div>
  );
}
