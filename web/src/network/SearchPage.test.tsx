import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage } from "@/test/render";
import SearchPage from "./SearchPage";

describe("SearchPage", () => {
  it("searches usernames by their beginning once typing pauses, and links to the profiles", async () => {
    const calls = mockApi({
      "GET /network/api/v1/people": [
        200,
        {
          items: [
            {
              id: "1",
              username: "grace",
              name: "Grace Hopper",
              avatar_url: null,
              account_type: "personal",
              is_private: false,
            },
          ],
          next_cursor: null,
        },
      ],
    });
    renderPage(<SearchPage />, { at: "/network/search" });
    await userEvent.type(screen.getByLabelText("Search people"), "@Gra");
    expect(await screen.findByRole("link", { name: /grace/ })).toHaveAttribute("href", "/network/grace");
    const searches = calls.filter((call) => call.path.startsWith("/network/api/v1/people"));
    expect(searches.map((call) => call.path)).toEqual(["/network/api/v1/people?prefix=Gra"]);
  });

  it("says when nobody matches", async () => {
    mockApi({ "GET /network/api/v1/people": [200, { items: [], next_cursor: null }] });
    renderPage(<SearchPage />, { at: "/network/search?q=zz" });
    expect(await screen.findByText("Nobody's username starts with “zz”.")).toBeInTheDocument();
  });
});

describe("SearchPage before one types", () => {
  it("explores: trending hashtags and the week's popular posts", async () => {
    mockApi({
      "GET /network/api/v1/explore/hashtags": [
        200,
        { items: [{ name: "sunset", recent_post_count: 12 }], next_cursor: null },
      ],
      "GET /network/api/v1/explore/posts": [
        200,
        {
          items: [
            {
              id: "31",
              thumbnail_url: "/t/31.jpg",
              media_count: 1,
              like_count: 8,
              comment_count: 2,
              created_at: "2026-11-20T10:00:00Z",
              kind: "feed",
              expires_at: null,
            },
          ],
          next_cursor: null,
        },
      ],
    });
    renderPage(<SearchPage />, { at: "/network/search" });
    expect(await screen.findByRole("link", { name: "#sunset, 12 posts this week" })).toHaveAttribute(
      "href",
      "/network/explore/tags/sunset",
    );
    const popular = screen.getByRole("region", { name: "Popular this week" });
    expect(await within(popular).findByRole("link", { name: "Post: 8 likes, 2 comments" })).toHaveAttribute(
      "href",
      "/network/p/31",
    );
    await userEvent.type(screen.getByLabelText("Search people"), "gr");
    expect(screen.queryByRole("region", { name: "Popular this week" })).not.toBeInTheDocument();
  });
});
