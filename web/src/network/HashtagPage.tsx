/** `/network/explore/tags/:name`: a hashtag, how many posts have it, and a grid of the recent ones. */
import { Hash } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { ApiError } from "@/api/problem";
import { ErrorState, Skeleton } from "@/components/ui/States";
import { GridSkeleton, PostGrid } from "./posts/PostGrid";
import { useHashtag, useHashtagGrid } from "./posts/queries";

export default function HashtagPage() {
  const { name = "" } = useParams();
  const { t } = useTranslation("network");
  const hashtag = useHashtag(name);
  const grid = useHashtagGrid(name);
  const missing = hashtag.error instanceof ApiError && hashtag.error.status === 404;

  return (
    <div className="space-y-6">
      <header className="flex items-center gap-4">
        <span className="rounded-full border border-zinc-300 p-4 dark:border-zinc-700">
          <Hash aria-hidden className="h-8 w-8" />
        </span>
        <div className="min-w-0">
          <h1 className="truncate text-xl font-semibold">#{hashtag.data?.name ?? name.toLowerCase()}</h1>
          {hashtag.isPending ? (
            <Skeleton className="mt-1 h-4 w-24" />
          ) : (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">
              {t("hashtag.posts", { count: hashtag.data?.post_count ?? 0 })}
            </p>
          )}
        </div>
      </header>
      {hashtag.isError && !missing ? (
        <ErrorState error={hashtag.error} onRetry={() => void hashtag.refetch()} />
      ) : missing ? (
        <EmptyTag />
      ) : hashtag.isPending ? (
        <GridSkeleton />
      ) : (
        <PostGrid query={grid} empty={<EmptyTag />} />
      )}
    </div>
  );
}

function EmptyTag() {
  const { t } = useTranslation("network");
  return (
    <p className="border-t border-zinc-200 py-12 text-center text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
      {t("hashtag.empty")}
    </p>
  );
}
