import { screen, within } from "@testing-library/react";
import { mockApi, renderPage } from "@/test/render";
import HashtagPage from "./HashtagPage";

describe("HashtagPage", () => {
  it("shows the hashtag, its post count, its top posts and its recent ones", async () => {
    mockApi({
      "GET /network/api/v1/hashtags/Sea": [200, { name: "sea", post_count: 12 }],
      "GET /network/api/v1/hashtags/Sea/top": [
        200,
        {
          items: [
            {
              id: "7",
              thumbnail_url: "/t/7.jpg",
              media_count: 1,
              like_count: 40,
              comment_count: 5,
              created_at: "2026-11-19T10:00:00Z",
              kind: "feed",
              expires_at: null,
            },
          ],
          next_cursor: null,
        },
      ],
      "GET /network/api/v1/hashtags/Sea/posts": [
        200,
        {
          items: [
            {
              id: "9",
              thumbnail_url: "/t/9.jpg",
              media_count: 2,
              like_count: 3,
              comment_count: 0,
              created_at: "2026-11-20T10:00:00Z",
            },
          ],
          next_cursor: null,
        },
      ],
    });
    renderPage(<HashtagPage />, { at: "/network/explore/tags/Sea", path: "/network/explore/tags/:name" });
    expect(await screen.findByRole("heading", { level: 1, name: "#sea" })).toBeInTheDocument();
    expect(await screen.findByText("12 posts")).toBeInTheDocument();
    const top = await screen.findByRole("region", { name: "Top posts" });
    const recent = screen.getByRole("region", { name: "Most recent" });
    expect(await within(top).findByRole("link", { name: "Post: 40 likes, 5 comments" })).toHaveAttribute(
      "href",
      "/network/p/7",
    );
    expect(await within(recent).findByRole("link", { name: "Post: 3 likes, 0 comments" })).toHaveAttribute(
      "href",
      "/network/p/9",
    );
  });

  it("says so when no post has the hashtag", async () => {
    mockApi({
      "GET /network/api/v1/hashtags/none": [200, { name: "none", post_count: 0 }],
      "GET /network/api/v1/hashtags/none/posts": [200, { items: [], next_cursor: null }],
      "GET /network/api/v1/hashtags/none/top": [200, { items: [], next_cursor: null }],
    });
    renderPage(<HashtagPage />, { at: "/network/explore/tags/none", path: "/network/explore/tags/:name" });
    expect(await screen.findByText("No posts with this hashtag yet.")).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Top posts" })).not.toBeInTheDocument();
  });
});
