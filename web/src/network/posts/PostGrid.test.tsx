import { screen, within } from "@testing-library/react";
import { renderPage } from "@/test/render";
import { PostGrid } from "./PostGrid";
import type { GridItem } from "./queries";

function item(overrides: Partial<GridItem> = {}): GridItem {
  return {
    id: "500",
    thumbnail_url: "/t/500.jpg",
    like_count: 4,
    comment_count: 1,
    media_count: 1,
    created_at: "2026-11-20T10:00:00Z",
    kind: "feed",
    expires_at: null,
    ...overrides,
  };
}

function grid(items: GridItem[]) {
  const query = {
    isPending: false,
    isError: false,
    error: null,
    data: { pages: [{ items }] },
    refetch: () => Promise.resolve(),
    hasNextPage: false,
    isFetchingNextPage: false,
    fetchNextPage: () => Promise.resolve(),
  };
  renderPage(<PostGrid query={query} empty={<p>Nothing</p>} />);
}

describe("PostGrid", () => {
  it("marks reels with an icon and says so in the tile's name", () => {
    grid([item({ id: "1" }), item({ id: "2", kind: "reel" }), item({ id: "3", media_count: 3 })]);
    const tiles = within(screen.getByRole("list", { name: "Posts" })).getAllByRole("link");
    expect(tiles.map((tile) => tile.getAttribute("aria-label"))).toEqual([
      "Post: 4 likes, 1 comment",
      "Reel: 4 likes, 1 comment",
      "Post: 4 likes, 1 comment",
    ]);
    expect(tiles[1]).toHaveAttribute("href", "/network/p/2");
    expect(tiles[1]!.querySelector("svg.lucide-clapperboard")).not.toBeNull();
    expect(tiles[0]!.querySelector("svg.lucide-clapperboard")).toBeNull();
    // A carousel keeps its own mark, and is not a reel.
    expect(tiles[2]!.querySelector("svg.lucide-copy")).not.toBeNull();
    expect(tiles[2]!.querySelector("svg.lucide-clapperboard")).toBeNull();
  });
});
