/**
 * Direct messages: the inbox (threads), one conversation's messages, sending, read marks and the unread count the
 * top bar shows. Threads and pages of messages come newest first from the server; the conversation reverses them.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { unwrap, type Schemas } from "@/api/problem";
import { cursorPaging, pageQuery } from "@/lib/paging";
import { networkApi } from "../api";

export type Message = Schemas["Message"];
export type MessageThread = Schemas["MessageThread"];

type MessagePage = { items: Message[]; next_cursor?: string | null };

/** Keys under "network", so signing in or out forgets them with the rest. */
export const messageKeys = {
  threads: ["network", "messages", "threads"] as const,
  thread: (id: string) => ["network", "messages", "thread", id] as const,
  messages: (id: string) => ["network", "messages", "thread", id, "messages"] as const,
  unread: ["network", "messages-unread"] as const,
};

/** An open conversation asks for new messages this often (there is no push channel yet). */
export const CONVERSATION_POLL_MS = 5_000;
/** The top bar asks for the unread count this often. */
export const UNREAD_POLL_MS = 30_000;
const THREAD_PAGE = 20;
const MESSAGE_PAGE = 30;

export function useThreads() {
  return useInfiniteQuery({
    queryKey: messageKeys.threads,
    queryFn: ({ pageParam }) =>
      unwrap(
        networkApi.GET("/network/api/v1/messages/threads", { params: { query: pageQuery(pageParam, THREAD_PAGE) } }),
      ),
    ...cursorPaging,
  });
}

/** One thread (the other person, read marks, Seen); asked again while open so Seen appears when they read. */
export function useThread(threadId: string) {
  return useQuery({
    queryKey: messageKeys.thread(threadId),
    queryFn: () =>
      unwrap(
        networkApi.GET("/network/api/v1/messages/threads/{thread_id}", {
          params: { path: { thread_id: threadId } },
        }),
      ),
    refetchInterval: CONVERSATION_POLL_MS,
  });
}

/** The thread's messages, newest first, page by page towards the oldest; the first page is polled for new ones. */
export function useThreadMessages(threadId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: messageKeys.messages(threadId),
    queryFn: ({ pageParam }) =>
      unwrap(
        networkApi.GET("/network/api/v1/messages/threads/{thread_id}/messages", {
          params: { path: { thread_id: threadId }, query: pageQuery(pageParam, MESSAGE_PAGE) },
        }),
      ),
    ...cursorPaging,
    enabled,
    refetchInterval: enabled ? CONVERSATION_POLL_MS : false,
  });
}

export function useMessageUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: messageKeys.unread,
    queryFn: () => unwrap(networkApi.GET("/network/api/v1/messages/unread-count")),
    select: (data) => data.unread_count,
    enabled,
    refetchInterval: enabled ? UNREAD_POLL_MS : false,
  });
}

/** Gets (or starts) the conversation with a person; the answer is cached so the conversation opens at once. */
export function useStartThread() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (username: string) =>
      unwrap(networkApi.POST("/network/api/v1/messages/threads", { body: { username } })),
    onSuccess: (thread) => queryClient.setQueryData(messageKeys.thread(thread.id), thread),
  });
}

export function useSendMessage(threadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) =>
      unwrap(
        networkApi.POST("/network/api/v1/messages/threads/{thread_id}/messages", {
          params: { path: { thread_id: threadId } },
          body: { text },
        }),
      ),
    onSuccess: (message) => {
      // Shown at once at the bottom, without waiting for the next poll.
      queryClient.setQueryData<InfiniteData<MessagePage, string | null>>(messageKeys.messages(threadId), (data) => {
        if (!data || data.pages.length === 0) return data;
        const [first, ...rest] = data.pages;
        if (first!.items.some((item) => item.id === message.id)) return data;
        return { ...data, pages: [{ ...first!, items: [message, ...first!.items] }, ...rest] };
      });
      queryClient.setQueryData<MessageThread>(messageKeys.thread(threadId), (thread) =>
        thread
          ? { ...thread, last_message: message, seen_by_other: false, unread_count: 0, updated_at: message.created_at }
          : thread,
      );
      // Sending marks the thread read for the sender, so the top bar's count may drop too.
      void queryClient.invalidateQueries({ queryKey: messageKeys.threads });
      void queryClient.invalidateQueries({ queryKey: messageKeys.unread });
    },
  });
}

/** Moves the viewer's read mark to the thread's latest message; the inbox and the top bar's count follow. */
export function useMarkThreadRead(threadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        networkApi.POST("/network/api/v1/messages/threads/{thread_id}/read", {
          params: { path: { thread_id: threadId } },
        }),
      ),
    onSuccess: (thread) => {
      queryClient.setQueryData(messageKeys.thread(threadId), thread);
      void queryClient.invalidateQueries({ queryKey: messageKeys.unread });
      void queryClient.invalidateQueries({ queryKey: messageKeys.threads });
    },
  });
}

/** Oldest first, as the conversation shows them; a message a poll and a send both brought is shown once. */
export function chronological(pages: MessagePage[]): Message[] {
  const seen = new Set<string>();
  const newestFirst: Message[] = [];
  for (const page of pages) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      newestFirst.push(item);
    }
  }
  return newestFirst.reverse();
}
