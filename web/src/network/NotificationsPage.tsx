/**
 * `/network/notifications`: what others did that concerns the viewer, newest first. Opening the page marks them
 * all read (the unread ones keep their mark until the next visit, so one sees what is new).
 */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Avatar } from "@/components/Avatar";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { PageHeader } from "@/components/ui/Card";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/ui/States";
import { cn } from "@/lib/cn";
import { RequireNetworkSession } from "./components/RequireNetworkSession";
import { useMarkNotificationsRead, useNotifications, type Notification } from "./notifications/queries";
import { useTimeAgo } from "./timeAgo";

export default function NotificationsPage() {
  return <RequireNetworkSession>{() => <Notifications />}</RequireNetworkSession>;
}

function Notifications() {
  const { t } = useTranslation("network");
  const notifications = useNotifications();
  const markRead = useMarkNotificationsRead();
  const marked = useRef(false);
  const { mutate } = markRead;

  // Once per visit, after the first page has arrived: marked before, it would come back all read, and the new
  // ones would lose their mark.
  const loaded = notifications.isSuccess;
  useEffect(() => {
    if (!loaded || marked.current) return;
    marked.current = true;
    mutate();
  }, [loaded, mutate]);

  return (
    <div className="space-y-4">
      <PageHeader title={t("notifications.title")} />
      {notifications.isPending ? (
        <ListSkeleton rows={6} />
      ) : notifications.isError ? (
        <ErrorState error={notifications.error} onRetry={() => void notifications.refetch()} />
      ) : (
        <NotificationList items={notifications.data.pages.flatMap((page) => page.items)} query={notifications} />
      )}
    </div>
  );
}

function NotificationList({
  items,
  query,
}: {
  items: Notification[];
  query: Parameters<typeof LoadMoreButton>[0]["query"];
}) {
  const { t } = useTranslation("network");
  if (items.length === 0) return <EmptyState title={t("notifications.empty")} />;
  return (
    <>
      <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {items.map((item) => (
          <NotificationRow key={item.id} item={item} />
        ))}
      </ul>
      <LoadMoreButton query={query} />
    </>
  );
}

function NotificationRow({ item }: { item: Notification }) {
  const { t } = useTranslation("network");
  const timeAgo = useTimeAgo();
  const actor = item.actor.username;
  return (
    <li className={cn("flex items-center gap-3 px-2 py-3", !item.read && "rounded-md bg-brand-50 dark:bg-zinc-900")}>
      <Link to={`/network/${actor}`} aria-label={actor} className="shrink-0 rounded-full">
        <Avatar name={item.actor.name} url={item.actor.avatar_url} />
      </Link>
      <div className="min-w-0 flex-1 text-sm">
        <p className="break-words">
          <Link to={`/network/${actor}`} className="mr-1 font-semibold hover:underline">
            {actor}
          </Link>
          {t(`notifications.kind.${item.kind}`)}
          {item.comment_text && <span className="text-zinc-600 dark:text-zinc-300"> “{item.comment_text}”</span>}{" "}
          <time dateTime={item.created_at} className="text-zinc-500 dark:text-zinc-400">
            {timeAgo(item.created_at)}
          </time>
          {!item.read && <span className="sr-only"> ({t("notifications.unread")})</span>}
        </p>
        {item.kind === "follow_request" && (
          <Link
            to="/network/requests"
            className="text-sm font-semibold text-brand-600 hover:underline dark:text-brand-500"
          >
            {t("notifications.seeRequests")}
          </Link>
        )}
      </div>
      {!item.read && <span aria-hidden className="h-2 w-2 shrink-0 rounded-full bg-brand-600" />}
      {item.post_id && (
        <Link to={`/network/p/${item.post_id}`} className="shrink-0" aria-label={t("notifications.viewPost")}>
          {item.thumbnail_url ? (
            <img src={item.thumbnail_url} alt="" className="h-11 w-11 rounded object-cover" />
          ) : (
            <span className="block h-11 w-11 rounded bg-zinc-200 dark:bg-zinc-800" />
          )}
        </Link>
      )}
    </li>
  );
}
