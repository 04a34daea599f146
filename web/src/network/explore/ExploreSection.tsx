/** What the search page shows before one types: trending hashtags and a grid of the week's popular posts. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PostGrid } from "../posts/PostGrid";
import { useExplorePosts, useTrendingHashtags } from "./queries";

export function ExploreSection() {
  const { t } = useTranslation("network");
  const hashtags = useTrendingHashtags();
  const posts = useExplorePosts();
  return (
    <div className="space-y-4">
      {hashtags.isSuccess && hashtags.data.length > 0 && (
        <section aria-labelledby="explore-hashtags">
          <h2 id="explore-hashtags" className="mb-2 text-sm font-semibold text-zinc-500 dark:text-zinc-400">
            {t("explore.trending")}
          </h2>
          <ul className="flex gap-2 overflow-x-auto pb-1">
            {hashtags.data.map((hashtag) => (
              <li key={hashtag.name} className="shrink-0">
                <Link
                  to={`/network/explore/tags/${encodeURIComponent(hashtag.name)}`}
                  aria-label={t("explore.hashtag", { name: hashtag.name, count: hashtag.recent_post_count })}
                  className="block rounded-full bg-zinc-100 px-3 py-1.5 text-sm font-medium hover:bg-zinc-200 dark:bg-zinc-800 dark:hover:bg-zinc-700"
                >
                  #{hashtag.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="explore-posts">
        <h2 id="explore-posts" className="mb-2 text-sm font-semibold text-zinc-500 dark:text-zinc-400">
          {t("explore.popular")}
        </h2>
        <PostGrid
          query={posts}
          empty={<p className="py-8 text-center text-sm text-zinc-500 dark:text-zinc-400">{t("explore.empty")}</p>}
        />
      </section>
    </div>
  );
}
