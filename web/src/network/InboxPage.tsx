/**
 * `/network/messages`: the viewer's conversations, the most recently active first. Each row shows the other
 * person, the last message (with "You: " when the viewer sent it) and when; unread ones are bold with a dot.
 */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Avatar } from "@/components/Avatar";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { PageHeader } from "@/components/ui/Card";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/ui/States";
import { cn } from "@/lib/cn";
import type { NetworkMe } from "./api";
import { RequireNetworkSession } from "./components/RequireNetworkSession";
import { useThreads, type MessageThread } from "./messages/queries";
import { useTimeAgo } from "./timeAgo";

export default function InboxPage() {
  return <RequireNetworkSession>{(me) => <Inbox me={me} />}</RequireNetworkSession>;
}

function Inbox({ me }: { me: NetworkMe }) {
  const { t } = useTranslation("network");
  const threads = useThreads();
  return (
    <div className="space-y-4">
      <PageHeader title={t("messages.title")} />
      {threads.isPending ? (
        <ListSkeleton rows={6} />
      ) : threads.isError ? (
        <ErrorState error={threads.error} onRetry={() => void threads.refetch()} />
      ) : (
        <ThreadList items={threads.data.pages.flatMap((page) => page.items)} me={me} query={threads} />
      )}
    </div>
  );
}

function ThreadList({
  items,
  me,
  query,
}: {
  items: MessageThread[];
  me: NetworkMe;
  query: Parameters<typeof LoadMoreButton>[0]["query"];
}) {
  const { t } = useTranslation("network");
  if (items.length === 0) return <EmptyState title={t("messages.empty")}>{t("messages.emptyHint")}</EmptyState>;
  return (
    <>
      <ul className="-mx-2 space-y-1">
        {items.map((thread) => (
          <ThreadRow key={thread.id} thread={thread} me={me} />
        ))}
      </ul>
      <LoadMoreButton query={query} />
    </>
  );
}

function ThreadRow({ thread, me }: { thread: MessageThread; me: NetworkMe }) {
  const { t } = useTranslation("network");
  const timeAgo = useTimeAgo();
  const unread = thread.unread_count > 0;
  const last = thread.last_message;
  const preview = last ? (last.sender.id === me.id ? t("messages.youPrefix", { text: last.text }) : last.text) : "";
  return (
    <li>
      <Link
        to={`/network/messages/${thread.id}`}
        className="flex items-center gap-3 rounded-md px-2 py-2 hover:bg-zinc-50 dark:hover:bg-zinc-900"
      >
        <Avatar name={thread.other.name} url={thread.other.avatar_url} size="md" />
        <span className="min-w-0 flex-1 text-sm">
          <span className={cn("block truncate", unread ? "font-semibold" : "font-medium")}>
            {thread.other.username}
          </span>
          <span
            className={cn(
              "flex min-w-0 gap-1",
              unread ? "font-semibold text-zinc-900 dark:text-white" : "text-zinc-500 dark:text-zinc-400",
            )}
          >
            <span className="truncate">{preview}</span>
            {last && (
              <>
                <span aria-hidden>·</span>
                <time dateTime={last.created_at} className="shrink-0">
                  {timeAgo(last.created_at)}
                </time>
              </>
            )}
          </span>
          {unread && <span className="sr-only"> ({t("messages.unread")})</span>}
        </span>
        {unread && <span aria-hidden className="h-2 w-2 shrink-0 rounded-full bg-brand-600" />}
      </Link>
    </li>
  );
}
