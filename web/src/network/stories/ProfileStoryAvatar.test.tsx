import { screen } from "@testing-library/react";
import { mockApi, renderPage } from "@/test/render";
import type { Profile } from "../api";
import ProfilePage from "../ProfilePage";
import { me, profile, signInToNetwork, signOutOfNetwork } from "../testData";
import { story } from "./testData";

function show(person: Profile, stories: [number, unknown]) {
  const calls = mockApi({
    "GET /network/api/v1/auth/me": [200, me],
    [`GET /network/api/v1/people/${person.username}`]: [200, person],
    [`GET /network/api/v1/people/${person.username}/posts`]: [200, { items: [], next_cursor: null }],
    [`GET /network/api/v1/people/${person.username}/stories`]: stories,
  });
  renderPage(<ProfilePage />, { at: `/network/${person.username}`, path: "/network/:username" });
  return calls;
}

describe("ProfilePage's story ring", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("rings the picture and links it to the viewer while the person has unseen stories", async () => {
    show(profile(), [200, { items: [story("1", { seen: true }), story("2")] }]);
    const link = await screen.findByRole("link", { name: "View grace's story" }, { timeout: 5000 });
    expect(link).toHaveAttribute("href", "/network/stories/grace");
    expect(link.querySelector("[data-ring]")).toHaveAttribute("data-ring", "unseen");
  });

  it("greys the ring once every story is seen", async () => {
    show(profile(), [200, { items: [story("1", { seen: true })] }]);
    const link = await screen.findByRole("link", { name: "View grace's story" }, { timeout: 5000 });
    expect(link.querySelector("[data-ring]")).toHaveAttribute("data-ring", "seen");
  });

  it("shows the plain picture without stories", async () => {
    show(profile(), [200, { items: [] }]);
    expect(await screen.findByText("Grace Hopper")).toBeInTheDocument();
    expect(await screen.findByRole("list", { name: /counts/i })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "View grace's story" })).not.toBeInTheDocument();
  });

  it("does not ask for a private account's stories before following it", async () => {
    const calls = show(profile({ is_private: true }), [200, { items: [story("1")] }]);
    expect(await screen.findByText("Grace Hopper")).toBeInTheDocument();
    expect(calls.map((call) => call.path)).not.toContain("/network/api/v1/people/grace/stories");
    expect(screen.queryByRole("link", { name: "View grace's story" })).not.toBeInTheDocument();
  });
});
