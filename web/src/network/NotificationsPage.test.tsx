import { screen, waitFor } from "@testing-library/react";
import { mockApi, renderPage } from "@/test/render";
import type { Notification, NotificationKind } from "./notifications/queries";
import NotificationsPage from "./NotificationsPage";
import { author } from "./posts/testData";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const KINDS: [NotificationKind, string][] = [
  ["like", "liked your post."],
  ["comment_like", "liked your comment."],
  ["comment", "commented on your post."],
  ["reply", "replied to your comment."],
  ["follow", "started following you."],
  ["follow_request", "asked to follow you."],
  ["mention", "mentioned you."],
  ["tag", "tagged you in a post."],
];

function notification(kind: NotificationKind, index: number): Notification {
  const aboutPost = kind !== "follow" && kind !== "follow_request";
  return {
    id: String(800 + index),
    kind,
    actor: author,
    post_id: aboutPost ? "500" : null,
    thumbnail_url: aboutPost ? "/t/1.jpg" : null,
    comment_id: null,
    comment_text: null,
    read: index > 0,
    created_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
  };
}

describe("NotificationsPage", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("says what happened for each kind and marks them all read on opening", async () => {
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/notifications": [
        200,
        { items: KINDS.map(([kind], index) => notification(kind, index)), next_cursor: null },
      ],
      "POST /network/api/v1/notifications/read": [200, { unread_count: 0 }],
    });
    renderPage(<NotificationsPage />, { at: "/network/notifications" });
    expect(await screen.findByRole("heading", { level: 1, name: "Notifications" })).toBeInTheDocument();
    for (const [, sentence] of KINDS) {
      expect(await screen.findByText(sentence, { exact: false })).toBeInTheDocument();
    }
    expect(screen.getAllByRole("link", { name: "grace" })[0]).toHaveAttribute("href", "/network/grace");
    expect(screen.getByRole("link", { name: "See follow requests" })).toHaveAttribute("href", "/network/requests");
    expect(screen.getAllByRole("link", { name: "View post" })[0]).toHaveAttribute("href", "/network/p/500");
    expect(screen.getAllByText("3 hours ago").length).toBe(KINDS.length);
    expect(screen.getAllByText("(unread)", { exact: false })).toHaveLength(1);
    await waitFor(() =>
      expect(calls.filter((call) => call.method === "POST").map((call) => call.path)).toEqual([
        "/network/api/v1/notifications/read",
      ]),
    );
  });

  it("quotes the comment a notification is about", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/notifications": [
        200,
        { items: [{ ...notification("comment", 0), comment_id: "7", comment_text: "Bellissima!" }], next_cursor: null },
      ],
      "POST /network/api/v1/notifications/read": [200, { unread_count: 0 }],
    });
    renderPage(<NotificationsPage />, { at: "/network/notifications" });
    const sentence = (await screen.findByText("commented on your post.", { exact: false })).closest("p");
    expect(sentence).toHaveTextContent(/commented on your post\. “Bellissima!” 3 hours ago/);
  });

  it("shows an empty state", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/notifications": [200, { items: [], next_cursor: null }],
      "POST /network/api/v1/notifications/read": [200, { unread_count: 0 }],
    });
    renderPage(<NotificationsPage />, { at: "/network/notifications" });
    expect(await screen.findByText(/No notifications yet/)).toBeInTheDocument();
  });
});
