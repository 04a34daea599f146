import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage } from "@/test/render";
import ConversationPage from "./ConversationPage";
import { messageKeys, type Message, type MessageThread } from "./messages/queries";
import { message, ownMessage, thread, THREAD_ID } from "./messages/testData";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const BASE = `/network/api/v1/messages/threads/${THREAD_ID}`;

/** The messages endpoint's pages, by cursor ("" for the first), newest first as the server sends them. */
type Pages = Record<string, { items: Message[]; next_cursor: string | null }>;

function open(
  {
    current = thread(),
    pages = { "": { items: [message()], next_cursor: null } },
  }: { current?: MessageThread; pages?: Pages },
  extra: Parameters<typeof mockApi>[0] = {},
) {
  const calls = mockApi({
    "GET /network/api/v1/auth/me": [200, me],
    [`GET ${BASE}`]: [200, current],
    [`GET ${BASE}/messages`]: (request) => [200, pages[new URL(request.url).searchParams.get("cursor") ?? ""]],
    [`POST ${BASE}/read`]: [200, { ...current, unread_count: 0 }],
    ...extra,
  });
  const view = renderPage(<ConversationPage />, {
    at: `/network/messages/${THREAD_ID}`,
    path: "/network/messages/:threadId",
  });
  return { calls, ...view };
}

const posts = (calls: ReturnType<typeof mockApi>) =>
  calls.filter((call) => call.method === "POST").map(({ path, body }) => ({ path, body }));

async function bubbles() {
  const list = await screen.findByRole("list", { name: "Messages with grace" });
  return within(list).getAllByRole("listitem");
}

describe("ConversationPage", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("shows the other person at the top and the messages oldest first, the viewer's on the right", async () => {
    open({
      pages: {
        "": {
          items: [
            ownMessage({ id: "1003", text: "third" }),
            message({ id: "1002", text: "second" }),
            ownMessage({ id: "1001", text: "first" }),
          ],
          next_cursor: null,
        },
      },
    });
    const heading = await screen.findByRole("heading", { level: 1, name: "grace" });
    expect(within(heading).getByRole("link", { name: "grace" })).toHaveAttribute("href", "/network/grace");
    expect(screen.getByRole("link", { name: "Back to messages" })).toHaveAttribute("href", "/network/messages");
    const items = await bubbles();
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringMatching(/^You: first/),
      expect.stringMatching(/^grace: second/),
      expect.stringMatching(/^You: third/),
    ]);
    expect(items[0]).toHaveClass("items-end");
    expect(items[1]).toHaveClass("items-start");
    expect(screen.queryByText("Seen")).not.toBeInTheDocument();
  });

  it("marks the conversation read on opening when something is unread", async () => {
    const { calls } = open({ current: thread({ unread_count: 1 }) });
    await waitFor(() => expect(posts(calls)).toEqual([{ path: `${BASE}/read`, body: undefined }]));
  });

  it("does not mark it again on opening when nothing is unread", async () => {
    const { calls } = open({ current: thread({ unread_count: 0 }) });
    await bubbles();
    expect(posts(calls)).toEqual([]);
  });

  it("marks read again when a new message from the other person arrives", async () => {
    let items = [message({ id: "1001", text: "first" })];
    const { calls, queryClient } = open({}, { [`GET ${BASE}/messages`]: () => [200, { items, next_cursor: null }] });
    await bubbles();
    expect(posts(calls)).toEqual([]);
    items = [message({ id: "1002", text: "news" }), ...items];
    // What the 5-second poll does.
    await queryClient.refetchQueries({ queryKey: messageKeys.messages(THREAD_ID) });
    expect(await screen.findByText(/news/)).toBeInTheDocument();
    await waitFor(() => expect(posts(calls)).toEqual([{ path: `${BASE}/read`, body: undefined }]));
  });

  it("shows Seen under the viewer's last message once the other has read it", async () => {
    open({
      current: thread({ last_message: ownMessage({ id: "1002" }), seen_by_other: true }),
      pages: {
        "": { items: [ownMessage({ id: "1002", text: "Hi Grace" }), message({ id: "1001" })], next_cursor: null },
      },
    });
    const items = await bubbles();
    expect(within(items[1]!).getByText("Seen")).toBeInTheDocument();
    expect(screen.getAllByText("Seen")).toHaveLength(1);
  });

  it("sends with Enter, trimmed, and shows the message at the bottom", async () => {
    const sent = ownMessage({ id: "1005", text: "On my way" });
    const { calls } = open({}, { [`POST ${BASE}/messages`]: [201, sent] });
    const user = userEvent.setup();
    const field = await screen.findByRole("textbox", { name: "Message…" });
    await user.type(field, "  On my way {Enter}");
    await waitFor(() => expect(posts(calls)).toEqual([{ path: `${BASE}/messages`, body: { text: "On my way" } }]));
    await waitFor(() => expect(field).toHaveValue(""));
    const items = await bubbles();
    expect(items.at(-1)).toHaveTextContent(/^You: On my way/);
  });

  it("starts a new line with Shift+Enter instead of sending", async () => {
    const { calls } = open({}, { [`POST ${BASE}/messages`]: [201, ownMessage()] });
    const user = userEvent.setup();
    const field = await screen.findByRole("textbox", { name: "Message…" });
    await user.type(field, "one{Shift>}{Enter}{/Shift}two");
    expect(field).toHaveValue("one\ntwo");
    expect(posts(calls)).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(posts(calls)).toEqual([{ path: `${BASE}/messages`, body: { text: "one\ntwo" } }]));
  });

  it("empties the field at once and keeps what is typed while the previous message is on its way", async () => {
    const { calls } = open({}, { [`POST ${BASE}/messages`]: [201, ownMessage({ id: "1005", text: "first" })] });
    // Holds the send until released, as a slow network would.
    const answer = globalThis.fetch;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      if (request.method === "POST" && new URL(request.url).pathname.endsWith("/messages")) await held;
      return answer(request);
    }) as typeof fetch;
    const user = userEvent.setup();
    const field = await screen.findByRole("textbox", { name: "Message…" });
    await user.type(field, "first{Enter}");
    expect(field).toHaveValue("");
    await user.type(field, "second{Enter}");
    release();
    await waitFor(async () => expect((await bubbles()).at(-1)).toHaveTextContent(/^You: first/));
    expect(field).toHaveValue("second");
    expect(posts(calls)).toEqual([{ path: `${BASE}/messages`, body: { text: "first" } }]);
  });

  it("keeps Send disabled while the message is empty or only spaces", async () => {
    const { calls } = open({});
    const user = userEvent.setup();
    const field = await screen.findByRole("textbox", { name: "Message…" });
    const send = screen.getByRole("button", { name: "Send" });
    expect(send).toBeDisabled();
    await user.type(field, "   {Enter}");
    expect(send).toBeDisabled();
    expect(posts(calls)).toEqual([]);
  });

  it("shows why a message was refused when one of them blocked the other, keeping the text", async () => {
    open(
      {},
      {
        [`POST ${BASE}/messages`]: [
          403,
          {
            type: "blocked",
            title: "You can't message this account",
            status: 403,
            detail: "You can't message this account.",
          },
        ],
      },
    );
    const user = userEvent.setup();
    const field = await screen.findByRole("textbox", { name: "Message…" });
    await user.type(field, "Hello?{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("You can't message this account.");
    expect(field).toHaveValue("Hello?");
  });

  it("loads older messages above the ones shown", async () => {
    const { calls } = open({
      pages: {
        "": { items: [message({ id: "1010", text: "newer" })], next_cursor: "m1" },
        m1: { items: [ownMessage({ id: "1001", text: "older" })], next_cursor: null },
      },
    });
    await bubbles();
    await userEvent.click(screen.getByRole("button", { name: "Load older messages" }));
    await waitFor(async () =>
      expect((await bubbles()).map((item) => item.textContent)).toEqual([
        expect.stringMatching(/^You: older/),
        expect.stringMatching(/^grace: newer/),
      ]),
    );
    expect(calls.filter((call) => call.path.startsWith(`${BASE}/messages`)).map((call) => call.path)).toEqual([
      `${BASE}/messages?limit=30`,
      `${BASE}/messages?limit=30&cursor=m1`,
    ]);
    expect(screen.queryByRole("button", { name: "Load older messages" })).not.toBeInTheDocument();
  });

  it("says so when the conversation is not the viewer's (or does not exist)", async () => {
    mockApi({ "GET /network/api/v1/auth/me": [200, me] });
    renderPage(<ConversationPage />, { at: "/network/messages/1", path: "/network/messages/:threadId" });
    expect(
      await screen.findByRole("heading", { level: 1, name: "This conversation isn't available." }),
    ).toBeInTheDocument();
  });
});
