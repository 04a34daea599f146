/**
 * `/network`: the signed-in person's feed, the posts of the people they follow, loaded as they scroll (and with
 * a "Load more" button for keyboards and browsers without IntersectionObserver), under the stories tray. With
 * nobody followed yet, a prompt to find people. Signed out, the sign-in page.
 */
import { Search, UserPlus } from "lucide-react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Avatar } from "@/components/Avatar";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { LanguageSwitch, ThemeSwitch } from "@/components/PreferenceSwitches";
import { ErrorState } from "@/components/ui/States";
import type { NetworkMe } from "./api";
import { RequireNetworkSession } from "./components/RequireNetworkSession";
import { FeedCard, FeedSkeleton } from "./feed/FeedCard";
import { useFeed } from "./feed/queries";
import { StoryTray } from "./stories/StoryTray";

export default function NetworkHomePage() {
  const { t } = useTranslation("network");
  return (
    <RequireNetworkSession>
      {(me) => (
        <div className="space-y-6">
          <h1 className="sr-only">{t("feed.title")}</h1>
          <StoryTray me={me} />
          <Feed me={me} />
          {/* On phones the top bar has no room for these. */}
          <div className="flex justify-center gap-1 sm:hidden">
            <LanguageSwitch />
            <ThemeSwitch />
          </div>
        </div>
      )}
    </RequireNetworkSession>
  );
}

function Feed({ me }: { me: NetworkMe }) {
  const feed = useFeed();
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = feed;

  // Fetch the next page as the end of the list comes near the screen.
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (feed.isPending) return <FeedSkeleton />;
  if (feed.isError) return <ErrorState error={feed.error} onRetry={() => void feed.refetch()} />;
  const items = feed.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <FindPeople me={me} />;
  return (
    <div className="space-y-6">
      {items.map((item) => (
        <FeedCard key={item.id} item={item} />
      ))}
      <div ref={sentinel} aria-hidden />
      <LoadMoreButton query={feed} />
    </div>
  );
}

function FindPeople({ me }: { me: NetworkMe }) {
  const { t } = useTranslation("network");
  return (
    <section className="flex flex-col items-center gap-3 rounded-xl border border-zinc-200 px-6 py-10 text-center dark:border-zinc-800">
      <Avatar name={me.name} url={me.avatar_url} size="lg" />
      <h2 className="text-xl font-semibold">{t("home.welcome", { name: me.name })}</h2>
      <p className="max-w-sm text-sm text-zinc-500 dark:text-zinc-400">{t("home.description")}</p>
      <Link
        to="/network/search"
        className="mt-2 inline-flex h-10 items-center gap-2 rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700"
      >
        <Search aria-hidden className="h-4 w-4" />
        {t("home.findPeople")}
      </Link>
      <Link
        to={`/network/${me.username}`}
        className="inline-flex items-center gap-2 rounded-md px-2 py-1 text-sm font-semibold text-brand-600 dark:text-brand-500"
      >
        <UserPlus aria-hidden className="h-4 w-4" />
        {t("home.yourProfile")}
      </Link>
    </section>
  );
}
