/**
 * `/network/messages/:threadId`: one conversation, filling the screen on a phone. The other person at the top
 * (linking to their profile), the messages as bubbles (the viewer's on the right) oldest first and scrolled to the
 * newest, older ones loaded on the way up, "Seen" under the viewer's last message once the other has read it, and
 * a composer at the bottom (Enter sends, Shift+Enter starts a new line). While open it asks for new messages every
 * few seconds and moves the viewer's read mark when the other writes.
 */
import { ArrowLeft } from "lucide-react";
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { ApiError } from "@/api/problem";
import { Avatar } from "@/components/Avatar";
import { Button } from "@/components/ui/Button";
import { ErrorState, ListSkeleton } from "@/components/ui/States";
import { cn } from "@/lib/cn";
import type { NetworkMe } from "./api";
import { RequireNetworkSession } from "./components/RequireNetworkSession";
import {
  chronological,
  useMarkThreadRead,
  useSendMessage,
  useThread,
  useThreadMessages,
  type Message,
  type MessageThread,
} from "./messages/queries";

/** The server refuses longer messages (after trimming); the field stops there too. */
export const MAX_MESSAGE_LENGTH = 1000;
/** How close to an edge (px) counts as being at it: at the bottom new messages scroll in, at the top older load. */
const EDGE_PX = 80;

export default function ConversationPage() {
  const { threadId = "" } = useParams();
  return (
    <RequireNetworkSession>{(me) => <Conversation key={threadId} me={me} threadId={threadId} />}</RequireNetworkSession>
  );
}

function Conversation({ me, threadId }: { me: NetworkMe; threadId: string }) {
  const { t } = useTranslation("network");
  const thread = useThread(threadId);
  const messages = useThreadMessages(threadId, !thread.isError);
  const items = messages.data ? chronological(messages.data.pages) : [];
  useMarkReadWhileOpen(threadId, me, thread.data, messages.isSuccess, items);

  if (thread.isPending) return <ListSkeleton rows={6} />;
  if (thread.isError) {
    if (thread.error instanceof ApiError && thread.error.status === 404) return <ConversationNotFound />;
    return <ErrorState error={thread.error} onRetry={() => void thread.refetch()} />;
  }
  const other = thread.data.other;
  return (
    // The page's frame minus the top bar and (on phones) the tab bar, so only the messages scroll.
    <section
      aria-labelledby="conversation-title"
      className="flex h-[calc(100dvh-10.5rem-1px)] flex-col sm:h-[calc(100dvh-7.5rem-1px)]"
    >
      <header className="flex items-center gap-3 border-b border-zinc-200 pb-3 dark:border-zinc-800">
        <Link
          to="/network/messages"
          aria-label={t("messages.back")}
          className="rounded-md p-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          <ArrowLeft aria-hidden className="h-5 w-5" />
        </Link>
        <h1 id="conversation-title" className="min-w-0 flex-1">
          <Link to={`/network/${other.username}`} className="flex min-w-0 items-center gap-2 rounded-md">
            <Avatar name={other.name} url={other.avatar_url} />
            <span className="truncate text-base font-semibold">{other.username}</span>
          </Link>
        </h1>
      </header>
      {messages.isPending ? (
        <div className="flex-1 py-3">
          <ListSkeleton rows={4} />
        </div>
      ) : messages.isError ? (
        <div className="flex-1 py-3">
          <ErrorState error={messages.error} onRetry={() => void messages.refetch()} />
        </div>
      ) : (
        <MessageList items={items} me={me} thread={thread.data} query={messages} />
      )}
      <Composer threadId={threadId} />
    </section>
  );
}

/**
 * Opening the conversation moves the read mark when something is unread; afterwards, every newer message from
 * the other person that a poll brings moves it again.
 */
function useMarkReadWhileOpen(
  threadId: string,
  me: NetworkMe,
  thread: MessageThread | undefined,
  messagesLoaded: boolean,
  items: Message[],
) {
  const { mutate } = useMarkThreadRead(threadId);
  const started = useRef(false);
  const markedUpTo = useRef<string | undefined>(undefined);
  const newestFromOther = items.findLast((item) => item.sender.id !== me.id)?.id;
  const unreadOnOpen = thread?.unread_count ?? 0;
  const threadLoaded = thread !== undefined;

  useEffect(() => {
    if (!threadLoaded || !messagesLoaded) return;
    if (!started.current) {
      started.current = true;
      markedUpTo.current = newestFromOther;
      if (unreadOnOpen > 0) mutate();
      return;
    }
    if (newestFromOther !== undefined && newestFromOther !== markedUpTo.current) {
      markedUpTo.current = newestFromOther;
      mutate();
    }
  }, [threadLoaded, messagesLoaded, newestFromOther, unreadOnOpen, mutate]);
}

interface OlderPages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

function MessageList({
  items,
  me,
  thread,
  query,
}: {
  items: Message[];
  me: NetworkMe;
  thread: MessageThread;
  query: OlderPages;
}) {
  const { t } = useTranslation("network");
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // What was shown at the last layout, and where the box was scrolled (kept up to date while scrolling).
  const shown = useRef<{ newest?: string; oldest?: string; height: number; top: number } | null>(null);
  const newest = items.at(-1);
  const newestId = newest?.id;
  const oldestId = items[0]?.id;
  const newestIsOwn = newest?.sender.id === me.id;
  const seen = newestIsOwn && thread.seen_by_other;

  // Before paint: to the bottom on opening, when a new message arrives while at the bottom, or when the viewer
  // sends one. When the top of the list changes (older messages loaded, or a poll trimming the first page), the
  // same messages stay in view: the position is worked out from the one before the change, because the browser
  // may already have clamped scrollTop to the shorter content (its own scroll anchoring is off for this box).
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const before = shown.current;
    if (!before || before.newest !== newestId) {
      if (!before || atBottom.current || newestIsOwn) box.scrollTop = box.scrollHeight;
    } else if (before.oldest !== oldestId) {
      box.scrollTop = atBottom.current ? box.scrollHeight : before.top + (box.scrollHeight - before.height);
    } else if (atBottom.current) {
      // "Seen" appeared or went under the last message.
      box.scrollTop = box.scrollHeight;
    }
    shown.current = { newest: newestId, oldest: oldestId, height: box.scrollHeight, top: box.scrollTop };
  }, [newestId, oldestId, newestIsOwn, seen]);

  // The box shrinks when the composer grows a line or a phone's keyboard opens: stay at the bottom if there.
  useEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) box.scrollTop = box.scrollHeight;
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const box = scroller.current;
    if (!box) return;
    if (shown.current) shown.current.top = box.scrollTop;
    atBottom.current = box.scrollHeight - box.scrollTop - box.clientHeight < EDGE_PX;
    if (box.scrollTop < EDGE_PX && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  };

  return (
    // Positioned, so the bubbles' screen-reader text (absolutely placed) stays inside the box and does not
    // lengthen the page.
    <div ref={scroller} onScroll={onScroll} className="relative flex-1 overflow-y-auto py-3 [overflow-anchor:none]">
      {query.hasNextPage && (
        <div className="mb-3 flex justify-center">
          <Button
            variant="secondary"
            size="sm"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {t("messages.loadOlder")}
          </Button>
        </div>
      )}
      {items.length === 0 ? (
        <p className="py-12 text-center text-sm text-zinc-500 dark:text-zinc-400">{t("messages.noMessages")}</p>
      ) : (
        <ol aria-label={t("messages.list", { username: thread.other.username })} className="space-y-1.5">
          {items.map((message) => (
            <Bubble
              key={message.id}
              message={message}
              own={message.sender.id === me.id}
              seen={seen && message.id === newestId}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function Bubble({ message, own, seen }: { message: Message; own: boolean; seen: boolean }) {
  const { t, i18n } = useTranslation("network");
  const sent = new Date(message.created_at).toLocaleString(i18n.language, {
    dateStyle: "medium",
    timeStyle: "short",
  });
  return (
    <li className={cn("flex flex-col", own ? "items-end" : "items-start")}>
      <p
        title={sent}
        className={cn(
          "max-w-[80%] whitespace-pre-wrap break-words rounded-2xl px-3 py-2 text-sm",
          own ? "bg-brand-600 text-white" : "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100",
        )}
      >
        <span className="sr-only">{own ? t("messages.you") : message.sender.username}: </span>
        {message.text}
        <span className="sr-only">
          {" "}
          (<time dateTime={message.created_at}>{sent}</time>)
        </span>
      </p>
      {seen && <p className="px-1 pt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{t("messages.seen")}</p>}
    </li>
  );
}

function Composer({ threadId }: { threadId: string }) {
  const { t } = useTranslation("network");
  const send = useSendMessage(threadId);
  const [text, setText] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const trimmed = text.trim();

  const submit = () => {
    // One at a time, so messages arrive in the order they were written; what is typed meanwhile stays put.
    if (!trimmed || send.isPending) return;
    // The field empties at once, ready for the next message; a refused one comes back unless something new was
    // typed meanwhile, and the reason (a block, say) is shown above.
    setText("");
    setFailure(null);
    send.mutate(trimmed, {
      onError: (error) => {
        setText((current) => (current === "" ? trimmed : current));
        setFailure(errorMessage(error));
      },
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Shift+Enter is a new line; Enter while an input method composes a word belongs to the input method.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  };

  return (
    <form onSubmit={onSubmit} className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
      {failure && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {failure}
        </p>
      )}
      <div className="flex items-end gap-2">
        <label htmlFor="message-text" className="sr-only">
          {t("messages.placeholder")}
        </label>
        <textarea
          id="message-text"
          rows={1}
          value={text}
          maxLength={MAX_MESSAGE_LENGTH}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={t("messages.placeholder")}
          className="block max-h-32 min-h-10 w-full resize-none rounded-2xl border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 [field-sizing:content] placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        />
        <Button type="submit" size="sm" disabled={!trimmed} loading={send.isPending}>
          {t("messages.send")}
        </Button>
      </div>
    </form>
  );
}

function ConversationNotFound() {
  const { t } = useTranslation("network");
  return (
    <div className="py-12 text-center">
      <h1 className="text-xl font-semibold">{t("messages.notFound")}</h1>
      <Link
        to="/network/messages"
        className="mt-4 inline-block text-sm font-semibold text-brand-600 dark:text-brand-500"
      >
        {t("messages.back")}
      </Link>
    </div>
  );
}
