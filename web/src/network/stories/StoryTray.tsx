/**
 * The row of stories above the home feed: "Your story" first (yours to watch when you have some, and a + to add
 * one), then the people the viewer follows with stories now, unseen first, as the server orders them. It scrolls
 * sideways on a phone. A tray that fails to load stays out of the way of the feed below it.
 */
import { Plus } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { Avatar } from "@/components/Avatar";
import { Skeleton } from "@/components/ui/States";
import type { NetworkMe } from "../api";
import { useStoryTray, type StoryTrayItem } from "./queries";
import { StoryRing } from "./StoryRing";

/** Where "Add to your story" goes: the compose page, set for a story. */
export const NEW_STORY = "/network/new?kind=story";

export function StoryTray({ me }: { me: NetworkMe }) {
  const { t } = useTranslation("stories");
  const tray = useStoryTray();
  const location = useLocation();
  // The viewer closes back to the page that opened it.
  const from = { from: location.pathname + location.search };

  if (tray.isPending) return <TraySkeleton />;
  if (tray.isError) return null;
  const mine = tray.data.items.find((item) => item.person.id === me.id);
  const others = tray.data.items.filter((item) => item.person.id !== me.id);

  return (
    <section aria-label={t("tray.label")} className="-mx-4 border-b border-zinc-200 pb-3 sm:mx-0 dark:border-zinc-800">
      <ul className="flex gap-4 overflow-x-auto px-4 pt-1 [scrollbar-width:none] sm:px-0 sm:[scrollbar-width:thin]">
        <li className="relative w-[72px] shrink-0">
          {mine ? (
            <>
              <Link
                to={`/network/stories/${me.username}`}
                state={from}
                aria-label={t("tray.viewYours")}
                className="flex flex-col items-center gap-1 rounded-md"
              >
                <StoryRing seen={mine.seen}>
                  <Avatar name={me.name} url={me.avatar_url} size="lg" />
                </StoryRing>
                <span className="w-full truncate text-center text-xs">{t("tray.yourStory")}</span>
              </Link>
              <Link
                to={NEW_STORY}
                aria-label={t("tray.add")}
                className="absolute right-0.5 top-12 rounded-full border-2 border-white bg-brand-600 p-0.5 text-white dark:border-zinc-950"
              >
                <Plus aria-hidden className="h-3 w-3" />
              </Link>
            </>
          ) : (
            <Link to={NEW_STORY} aria-label={t("tray.add")} className="flex flex-col items-center gap-1 rounded-md">
              <span className="relative p-1">
                <Avatar name={me.name} url={me.avatar_url} size="lg" />
                <span className="absolute bottom-0.5 right-0.5 rounded-full border-2 border-white bg-brand-600 p-0.5 text-white dark:border-zinc-950">
                  <Plus aria-hidden className="h-3 w-3" />
                </span>
              </span>
              <span className="w-full truncate text-center text-xs">{t("tray.yourStory")}</span>
            </Link>
          )}
        </li>
        {others.map((item) => (
          <TrayPerson key={item.person.id} item={item} state={from} />
        ))}
      </ul>
    </section>
  );
}

function TrayPerson({ item, state }: { item: StoryTrayItem; state: { from: string } }) {
  const { t } = useTranslation("stories");
  const { username, name, avatar_url } = item.person;
  return (
    <li className="w-[72px] shrink-0">
      <Link
        to={`/network/stories/${username}`}
        state={state}
        aria-label={t(item.seen ? "tray.seen" : "tray.unseen", { username })}
        className="flex flex-col items-center gap-1 rounded-md"
      >
        <StoryRing seen={item.seen}>
          <Avatar name={name} url={avatar_url} size="lg" />
        </StoryRing>
        <span className="w-full truncate text-center text-xs">{username}</span>
      </Link>
    </li>
  );
}

function TraySkeleton() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("loading")} className="flex gap-4 overflow-hidden pb-3">
      {[0, 1, 2, 3].map((index) => (
        <Skeleton key={index} className="h-[72px] w-[72px] shrink-0 rounded-full" />
      ))}
    </div>
  );
}
