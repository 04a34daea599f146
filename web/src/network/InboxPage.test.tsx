import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage, renderWithApp } from "@/test/render";
import InboxPage from "./InboxPage";
import { message, ownMessage, thread } from "./messages/testData";
import { author } from "./posts/testData";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const lin = { ...author, id: "300", username: "lin", name: "Lin Yu" };

function show(pages: Record<string, unknown>) {
  const calls = mockApi({
    "GET /network/api/v1/auth/me": [200, me],
    "GET /network/api/v1/messages/threads": (request) => {
      const cursor = new URL(request.url).searchParams.get("cursor") ?? "";
      return [200, pages[cursor]];
    },
  });
  renderPage(<InboxPage />, { at: "/network/messages" });
  return calls;
}

describe("InboxPage", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("shows one row per conversation: who, the last message, when, and whether it is unread", async () => {
    show({
      "": {
        items: [
          thread({ unread_count: 2, last_message: message({ text: "Are you coming?" }) }),
          thread({
            id: "901",
            other: lin,
            unread_count: 0,
            last_message: ownMessage({ id: "990", thread_id: "901", text: "See you" }),
          }),
        ],
        next_cursor: null,
      },
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Messages" })).toBeInTheDocument();

    const unread = await screen.findByRole("link", { name: /^grace/ });
    expect(unread).toHaveAttribute("href", "/network/messages/900");
    expect(unread).toHaveTextContent("Are you coming?");
    expect(unread).not.toHaveTextContent("You:");
    expect(unread).toHaveTextContent("2 hours ago");
    expect(unread).toHaveTextContent("(unread)");
    expect(within(unread).getByText("grace")).toHaveClass("font-semibold");

    const read = screen.getByRole("link", { name: /^lin/ });
    expect(read).toHaveAttribute("href", "/network/messages/901");
    expect(read).toHaveTextContent("You: See you");
    expect(read).not.toHaveTextContent("(unread)");
    expect(within(read).getByText("lin")).not.toHaveClass("font-semibold");
  });

  it("loads more conversations with Load more", async () => {
    const calls = show({
      "": { items: [thread()], next_cursor: "c1" },
      c1: { items: [thread({ id: "901", other: lin })], next_cursor: null },
    });
    await userEvent.click(await screen.findByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: /^lin/ })).toHaveAttribute("href", "/network/messages/901");
    expect(calls.filter((call) => call.path.startsWith("/network/api/v1/messages")).map((call) => call.path)).toEqual([
      "/network/api/v1/messages/threads?limit=20",
      "/network/api/v1/messages/threads?limit=20&cursor=c1",
    ]);
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("says so when there is no conversation yet", async () => {
    show({ "": { items: [], next_cursor: null } });
    expect(await screen.findByText("No messages yet.")).toBeInTheDocument();
  });

  it("sends someone signed out to the sign-in page", async () => {
    signOutOfNetwork();
    mockApi({});
    const { router } = renderWithApp(
      [
        { path: "/network/messages", element: <InboxPage /> },
        { path: "/network/signin", element: <p>Sign-in page</p> },
      ],
      { at: "/network/messages" },
    );
    await vi.waitFor(() => expect(router.state.location.pathname).toBe("/network/signin"));
    expect(router.state.location.search).toBe("?next=%2Fnetwork%2Fmessages");
    expect(await screen.findByText("Sign-in page")).toBeInTheDocument();
  });
});
