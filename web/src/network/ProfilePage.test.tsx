import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Profile } from "./api";
import { mockApi, renderPage } from "@/test/render";
import ProfilePage from "./ProfilePage";
import { me, profile, signInToNetwork, signOutOfNetwork } from "./testData";

function show(person: Profile, extra: Parameters<typeof mockApi>[0] = {}) {
  const calls = mockApi({
    "GET /network/api/v1/auth/me": [200, me],
    [`GET /network/api/v1/people/${person.username}`]: [200, person],
    ...extra,
  });
  renderPage(<ProfilePage />, { at: `/network/${person.username}`, path: "/network/:username" });
  return calls;
}

const unsafe = (calls: ReturnType<typeof mockApi>) => calls.filter((call) => call.method !== "GET");

describe("ProfilePage", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("shows the person: name, username, bio, website, badge and counts", async () => {
    show(profile());
    expect(await screen.findByRole("heading", { level: 1, name: "grace" })).toBeInTheDocument();
    expect(screen.getByText("Grace Hopper")).toBeInTheDocument();
    expect(screen.getByText("Compilers.")).toBeInTheDocument();
    expect(screen.getByText("Creator")).toBeInTheDocument();
    const website = screen.getByRole("link", { name: "grace.example" });
    expect(website).toHaveAttribute("href", "https://grace.example/");
    expect(website).toHaveAttribute("rel", "nofollow noopener");
    expect(screen.getByRole("link", { name: "10 followers" })).toHaveAttribute("href", "/network/grace/followers");
    expect(screen.getByRole("link", { name: "2 following" })).toHaveAttribute("href", "/network/grace/following");
  });

  it("counts a tap on the website link for the account's insights", async () => {
    const calls = show(profile(), { "POST /network/api/v1/people/grace/link-tap": [204, null] });
    await userEvent.click(await screen.findByRole("link", { name: "grace.example" }));
    expect(unsafe(calls)).toEqual([{ method: "POST", path: "/network/api/v1/people/grace/link-tap", body: undefined }]);
  });

  it("follows a public account with Follow", async () => {
    const calls = show(profile(), {
      "POST /network/api/v1/people/grace/follow": [200, { state: "following", followers_count: 11 }],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Follow" }));
    expect(await screen.findByRole("button", { name: "Following" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "11 followers" })).toBeInTheDocument();
    expect(unsafe(calls)).toEqual([{ method: "POST", path: "/network/api/v1/people/grace/follow", body: undefined }]);
  });

  it("shows Requested for a request that waits, and withdraws it", async () => {
    const calls = show(profile({ is_private: true, requested_by_viewer: true }), {
      "DELETE /network/api/v1/people/grace/follow": [200, { state: "none", followers_count: 10 }],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Requested" }));
    expect(await screen.findByRole("button", { name: "Follow" })).toBeInTheDocument();
    expect(unsafe(calls)).toEqual([{ method: "DELETE", path: "/network/api/v1/people/grace/follow", body: undefined }]);
  });

  it("shows Following for a followed account, and unfollows after confirming", async () => {
    const calls = show(profile({ followed_by_viewer: true }), {
      "DELETE /network/api/v1/people/grace/follow": [200, { state: "none", followers_count: 9 }],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Following" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Unfollow grace?" });
    expect(unsafe(calls)).toEqual([]);
    await userEvent.click(within(dialog).getByRole("button", { name: "Unfollow" }));
    expect(await screen.findByRole("button", { name: "Follow" })).toBeInTheDocument();
    expect(unsafe(calls)).toEqual([{ method: "DELETE", path: "/network/api/v1/people/grace/follow", body: undefined }]);
  });

  it("asks a private account to follow, which answers Requested", async () => {
    const calls = show(profile({ is_private: true }), {
      "POST /network/api/v1/people/grace/follow": [200, { state: "requested", followers_count: 10 }],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Follow" }));
    expect(await screen.findByRole("button", { name: "Requested" })).toBeInTheDocument();
    expect(unsafe(calls)).toHaveLength(1);
  });

  it("hides a private account's lists from a non-follower", async () => {
    show(profile({ is_private: true }));
    expect(await screen.findByText("This account is private")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /followers/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /following/ })).not.toBeInTheDocument();
    expect(screen.getByText("followers")).toBeInTheDocument();
  });

  it("shows a private account's lists to a follower", async () => {
    show(profile({ is_private: true, followed_by_viewer: true }));
    expect(await screen.findByRole("link", { name: "10 followers" })).toBeInTheDocument();
    expect(screen.queryByText("This account is private")).not.toBeInTheDocument();
  });

  it("offers Edit profile, not Follow, on one's own profile", async () => {
    show({ ...profile(), ...me, is_private: true });
    expect(await screen.findByRole("link", { name: "Edit profile" })).toHaveAttribute(
      "href",
      "/network/settings/profile",
    );
    expect(screen.queryByRole("button", { name: "Follow" })).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "3 followers" })).toBeInTheDocument();
  });

  it("blocks from the … menu after confirming", async () => {
    const calls = show(profile(), {
      "POST /network/api/v1/people/grace/block": [200, { blocked: true }],
    });
    const user = userEvent.setup();
    // Radix menus open on a pointer-down that jsdom does not make; the keyboard opens them as well.
    (await screen.findByRole("button", { name: "More options" })).focus();
    await user.keyboard("{Enter}");
    await user.click(await screen.findByRole("menuitem", { name: "Block" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Block grace?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Block" }));
    await screen.findByText("Compilers.");
    expect(unsafe(calls)).toEqual([{ method: "POST", path: "/network/api/v1/people/grace/block", body: undefined }]);
  });

  it("says clearly when nobody has the username (or they blocked the viewer)", async () => {
    mockApi({ "GET /network/api/v1/auth/me": [200, me] });
    renderPage(<ProfilePage />, { at: "/network/nobody", path: "/network/:username" });
    expect(
      await screen.findByRole("heading", { level: 1, name: "Sorry, this page isn't available." }),
    ).toBeInTheDocument();
  });

  it("leads a signed-out visitor's Follow to the sign-in page", async () => {
    signOutOfNetwork();
    show(profile());
    expect(await screen.findByRole("link", { name: "Follow" })).toHaveAttribute(
      "href",
      "/network/signin?next=%2Fnetwork%2Fgrace",
    );
    expect(screen.queryByRole("button", { name: "More options" })).not.toBeInTheDocument();
  });

  it("shows the posts as a grid of links, with Load more for the next page", async () => {
    const tile = (id: string) => ({
      id,
      thumbnail_url: `/t/${id}.jpg`,
      media_count: 1,
      like_count: 2,
      comment_count: 1,
      created_at: "2026-11-20T10:00:00Z",
    });
    const calls = show(profile({ posts_count: 2 }), {
      "GET /network/api/v1/people/grace/posts": (request) =>
        new URL(request.url).searchParams.get("cursor")
          ? [200, { items: [tile("3")], next_cursor: null }]
          : [200, { items: [tile("1"), tile("2")], next_cursor: "next" }],
    });
    const grid = await screen.findByRole("list", { name: "Posts" });
    expect(within(grid).getAllByRole("link")[0]).toHaveAttribute("href", "/network/p/1");
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findAllByRole("link", { name: "Post: 2 likes, 1 comment" })).toHaveLength(3);
    expect(calls.filter((call) => call.path.includes("/posts?")).map((call) => call.path)).toEqual([
      "/network/api/v1/people/grace/posts?limit=30",
      "/network/api/v1/people/grace/posts?limit=30&cursor=next",
    ]);
  });

  it("shows the posts the person is tagged in on the Tagged tab, asked for only then", async () => {
    const calls = show(profile({ posts_count: 0 }), {
      "GET /network/api/v1/people/grace/posts": [200, { items: [], next_cursor: null }],
      "GET /network/api/v1/people/grace/tagged": [
        200,
        {
          items: [
            {
              id: "9",
              thumbnail_url: "/t/9.jpg",
              media_count: 1,
              like_count: 1,
              comment_count: 0,
              created_at: "2026-11-20T10:00:00Z",
              kind: "feed",
              expires_at: null,
            },
          ],
          next_cursor: null,
        },
      ],
    });
    const postsTab = await screen.findByRole("tab", { name: "Posts" });
    expect(postsTab).toHaveAttribute("aria-selected", "true");
    expect(calls.some((call) => call.path.includes("/tagged"))).toBe(false);
    await userEvent.click(screen.getByRole("tab", { name: "Tagged" }));
    expect(screen.getByRole("tab", { name: "Tagged" })).toHaveAttribute("aria-selected", "true");
    const panel = screen.getByRole("tabpanel", { name: "Tagged" });
    expect(await within(panel).findByRole("link", { name: "Post: 1 like, 0 comments" })).toHaveAttribute(
      "href",
      "/network/p/9",
    );
  });

  it("does not ask for a private account's grid from a non-follower", async () => {
    const calls = show(profile({ is_private: true }));
    expect(await screen.findByText("This account is private")).toBeInTheDocument();
    expect(calls.some((call) => call.path.includes("/posts"))).toBe(false);
  });
});
