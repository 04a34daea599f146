import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage } from "@/test/render";
import FollowersPage from "./FollowersPage";
import FollowingPage from "./FollowingPage";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const person = (id: number) => ({
  id: String(id),
  username: `person${id}`,
  name: `Person ${id}`,
  avatar_url: null,
  account_type: "personal" as const,
  is_private: false,
});

describe("followers and following", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("lists followers page by page, with follow buttons", async () => {
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/people/grace/followers": (request) =>
        new URL(request.url).searchParams.get("cursor")
          ? [200, { items: [person(2)], next_cursor: null }]
          : [200, { items: [person(1), { ...person(100), username: "ada" }], next_cursor: "c1" }],
    });
    renderPage(<FollowersPage />, { at: "/network/grace/followers", path: "/network/:username/followers" });

    expect(await screen.findByRole("heading", { level: 1, name: "Followers" })).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: /person1/ })).toHaveAttribute("href", "/network/person1");
    // No button to follow oneself.
    expect(screen.getAllByRole("button", { name: "Follow" })).toHaveLength(1);
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: /person2/ })).toBeInTheDocument();
    expect(calls.map((call) => call.path)).toContain("/network/api/v1/people/grace/followers?limit=50&cursor=c1");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("shows one's own following as Following", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/people/ada/following": [200, { items: [person(1)], next_cursor: null }],
    });
    renderPage(<FollowingPage />, { at: "/network/ada/following", path: "/network/:username/following" });
    expect(await screen.findByRole("button", { name: "Following" })).toBeInTheDocument();
  });

  it("says a private account's lists are private", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/people/grace/followers": [
        403,
        { type: "private-account", title: "This account is private", status: 403 },
      ],
    });
    renderPage(<FollowersPage />, { at: "/network/grace/followers", path: "/network/:username/followers" });
    expect(await screen.findByText("This account is private")).toBeInTheDocument();
  });

  it("has an empty state", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/people/grace/following": [200, { items: [], next_cursor: null }],
    });
    renderPage(<FollowingPage />, { at: "/network/grace/following", path: "/network/:username/following" });
    expect(await screen.findByText("Not following anyone yet")).toBeInTheDocument();
  });
});
