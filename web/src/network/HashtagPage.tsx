/** `/network/explore/tags/:name`: a hashtag, how many posts have it, its top posts and its recent ones. */
import { Hash } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { ApiError } from "@/api/problem";
import { ErrorState, Skeleton } from "@/components/ui/States";
import { GridSkeleton, PostGrid } from "./posts/PostGrid";
import { useHashtag, useHashtagGrid, useHashtagTop } from "./posts/queries";

export default function HashtagPage() {
  const { name = "" } = useParams();
  const { t } = useTranslation("network");
  const hashtag = useHashtag(name);
  const top = useHashtagTop(name);
  const grid = useHashtagGrid(name);
  const missing = hashtag.error instanceof ApiError && hashtag.error.status === 404;
  // Top posts are the last 30 days': an older hashtag has recent posts only.
  const noTop = top.isSuccess && top.data.pages.every((page) => page.items.length === 0);

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
        <>
          {!noTop && (
            <section aria-labelledby="hashtag-top" className="space-y-2">
              <h2 id="hashtag-top" className="text-sm font-semibold text-zinc-500 dark:text-zinc-400">
                {t("hashtag.top")}
              </h2>
              <PostGrid query={top} empty={null} />
            </section>
          )}
          <section aria-labelledby="hashtag-recent" className="space-y-2">
            <h2 id="hashtag-recent" className="text-sm font-semibold text-zinc-500 dark:text-zinc-400">
              {t("hashtag.recent")}
            </h2>
            <PostGrid query={grid} empty={<EmptyTag />} />
          </section>
        </>
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
