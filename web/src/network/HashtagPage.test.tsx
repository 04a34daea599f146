import { screen } from "@testing-library/react";
import { mockApi, renderPage } from "@/test/render";
import HashtagPage from "./HashtagPage";

describe("HashtagPage", () => {
  it("shows the hashtag, its post count and a grid of its recent posts", async () => {
    mockApi({
      "GET /network/api/v1/hashtags/Sea": [200, { name: "sea", post_count: 12 }],
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
    expect(await screen.findByRole("link", { name: "Post: 3 likes, 0 comments" })).toHaveAttribute(
      "href",
      "/network/p/9",
    );
  });

  it("says so when no post has the hashtag", async () => {
    mockApi({
      "GET /network/api/v1/hashtags/none": [200, { name: "none", post_count: 0 }],
      "GET /network/api/v1/hashtags/none/posts": [200, { items: [], next_cursor: null }],
    });
    renderPage(<HashtagPage />, { at: "/network/explore/tags/none", path: "/network/explore/tags/:name" });
    expect(await screen.findByText("No posts with this hashtag yet.")).toBeInTheDocument();
  });
});
