/** Threads and messages for tests: ada (the viewer, from ../testData) writes with grace. */
import { author, meSummary } from "../posts/testData";
import type { Message, MessageThread } from "./queries";

export const THREAD_ID = "900";

export function message(overrides: Partial<Message> = {}): Message {
  return {
    id: "1000",
    thread_id: THREAD_ID,
    sender: author,
    text: "Hello Ada",
    created_at: new Date(Date.now() - 2 * 3600_000).toISOString(),
    ...overrides,
  };
}

/** A message from the viewer. */
export function ownMessage(overrides: Partial<Message> = {}): Message {
  return message({ sender: meSummary, text: "Hi Grace", ...overrides });
}

export function thread(overrides: Partial<MessageThread> = {}): MessageThread {
  return {
    id: THREAD_ID,
    other: author,
    last_message: message(),
    unread_count: 0,
    seen_by_other: false,
    updated_at: new Date(Date.now() - 2 * 3600_000).toISOString(),
    ...overrides,
  };
}
