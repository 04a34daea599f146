import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage } from "@/test/render";
import type { FeedItem } from "./feed/queries";
import NetworkHomePage from "./NetworkHomePage";
import { author, meSummary, post } from "./posts/testData";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

function feedItem(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    ...post(),
    comment_count: 5,
    first_comments: [
      { id: "901", author: meSummary, text: "Beautiful light", created_at: "2026-11-20T11:00:00Z" },
      { id: "902", author, text: "Thanks!", created_at: "2026-11-20T11:05:00Z" },
    ],
    ...overrides,
  };
}

describe("NetworkHomePage", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("shows the feed's posts and asks for the next page with the cursor", async () => {
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/feed": (request) =>
        new URL(request.url).searchParams.get("cursor") === "c2"
          ? [200, { items: [feedItem({ id: "501", caption: "Second page", caption_entities: [] })], next_cursor: null }]
          : [200, { items: [feedItem()], next_cursor: "c2" }],
    });
    renderPage(<NetworkHomePage />, { at: "/network" });
    const card = await screen.findByRole("article", { name: "Post by grace" });
    expect(within(card).getAllByRole("link", { name: "grace" })[0]).toHaveAttribute("href", "/network/grace");
    expect(within(card).getByRole("img", { name: "A harbour" })).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: "Like" })).toHaveAttribute("aria-pressed", "false");
    expect(within(card).getByRole("link", { name: "#sea" })).toHaveAttribute("href", "/network/explore/tags/sea");
    expect(within(card).getByRole("link", { name: "View all 5 comments" })).toHaveAttribute("href", "/network/p/500");
    expect(within(card).getByText("Beautiful light")).toBeInTheDocument();
    expect(within(card).getByText("Thanks!")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByText("Second page")).toBeInTheDocument();
    expect(calls.filter((call) => call.path.startsWith("/network/api/v1/feed")).map((call) => call.path)).toEqual([
      "/network/api/v1/feed?limit=10",
      "/network/api/v1/feed?limit=10&cursor=c2",
    ]);
    await waitFor(() => expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument());
  });

  it("prompts to find people when the feed is empty", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/feed": [200, { items: [], next_cursor: null }],
    });
    renderPage(<NetworkHomePage />, { at: "/network" });
    expect(await screen.findByRole("link", { name: "Find people to follow" })).toHaveAttribute(
      "href",
      "/network/search",
    );
  });

  it("offers a retry when the feed fails", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/feed": [500, { type: "about:blank", title: "Server error", status: 500 }],
    });
    renderPage(<NetworkHomePage />, { at: "/network" });
    expect(await screen.findByRole("alert")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /retry|try again/i })).toBeInTheDocument();
  });
});
