import { screen, within } from "@testing-library/react";
import { mockApi, renderPage } from "@/test/render";
import NetworkHomePage from "../NetworkHomePage";
import { me, signInToNetwork, signOutOfNetwork } from "../testData";
import { meSummary, person, trayItem } from "./testData";

function show(tray: unknown) {
  return mockApi({
    "GET /network/api/v1/auth/me": [200, me],
    "GET /network/api/v1/feed": [200, { items: [], next_cursor: null }],
    "GET /network/api/v1/stories": [200, tray],
  });
}

const names = (links: HTMLElement[]) => links.map((link) => link.getAttribute("aria-label"));

describe("StoryTray", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("puts your story first, then people in the server's order, ringed while unseen", async () => {
    show({
      items: [
        trayItem(meSummary),
        trayItem(person("grace", "200")),
        trayItem(person("linus", "300")),
        trayItem(person("alan", "400"), { seen: true }),
      ],
    });
    renderPage(<NetworkHomePage />, { at: "/network" });
    const tray = await screen.findByRole("region", { name: "Stories" });
    const links = within(tray).getAllByRole("link");
    expect(names(links)).toEqual([
      "Your story, view it",
      "Add to your story",
      "Story by grace, not seen yet",
      "Story by linus, not seen yet",
      "Story by alan, seen",
    ]);
    expect(links.map((link) => link.getAttribute("href"))).toEqual([
      "/network/stories/ada",
      "/network/new?kind=story",
      "/network/stories/grace",
      "/network/stories/linus",
      "/network/stories/alan",
    ]);
    const rings = links.map((link) => link.querySelector("[data-ring]")?.getAttribute("data-ring") ?? null);
    expect(rings).toEqual(["unseen", null, "unseen", "unseen", "seen"]);
    expect(within(tray).getByText("Your story")).toBeInTheDocument();
    // It scrolls sideways rather than wrapping, on a phone.
    expect(within(tray).getByRole("list")).toHaveClass("overflow-x-auto");
  });

  it("offers to add a story when you have none, and shows the feed's prompt below", async () => {
    show({ items: [trayItem(person("grace", "200"), { seen: true })] });
    renderPage(<NetworkHomePage />, { at: "/network" });
    const tray = await screen.findByRole("region", { name: "Stories" });
    expect(names(within(tray).getAllByRole("link"))).toEqual(["Add to your story", "Story by grace, seen"]);
    expect(within(tray).getByRole("link", { name: "Add to your story" })).toHaveAttribute(
      "href",
      "/network/new?kind=story",
    );
    expect(screen.getByRole("link", { name: "Find people to follow" })).toBeInTheDocument();
  });

  it("stays out of the way when the tray fails", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/feed": [200, { items: [], next_cursor: null }],
      "GET /network/api/v1/stories": [500, { type: "about:blank", title: "Server error", status: 500 }],
    });
    renderPage(<NetworkHomePage />, { at: "/network" });
    expect(await screen.findByRole("link", { name: "Find people to follow" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Stories" })).not.toBeInTheDocument();
  });
});
