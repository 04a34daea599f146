import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderWithApp } from "@/test/render";
import NetworkLayout from "./NetworkLayout";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const found = (username: string, id: string) => ({
  id,
  username,
  name: username,
  avatar_url: null,
  account_type: "personal",
  is_private: false,
});

function renderLayout() {
  return renderWithApp(
    [
      {
        path: "/network",
        element: <NetworkLayout />,
        children: [
          { index: true, element: <p>Home page</p> },
          { path: "search", element: <p>Search page</p> },
          { path: ":username", element: <p>Profile page</p> },
        ],
      },
    ],
    { at: "/network" },
  );
}

describe("NetworkLayout", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("has the name, a search and the tabs, Profile leading to one's own profile", async () => {
    mockApi({ "GET /network/api/v1/auth/me": [200, me] });
    renderLayout();
    expect(screen.getByRole("link", { name: "Sandbox" })).toHaveAttribute("href", "/network");
    expect(screen.getByRole("combobox", { name: "Search people" })).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getAllByRole("link", { name: "Profile" })[0]).toHaveAttribute("href", "/network/ada"),
    );
  });

  it("opens a person found in the top bar with the arrow keys and Enter", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/people": [200, { items: [found("grace", "1"), found("gracie", "2")], next_cursor: null }],
    });
    const { router } = renderLayout();
    const user = userEvent.setup();
    const search = screen.getByRole("combobox", { name: "Search people" });
    await user.type(search, "gra");
    expect(await screen.findByRole("option", { name: /gracie/ })).toBeInTheDocument();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(screen.getByRole("option", { name: /gracie/ })).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(router.state.location.pathname).toBe("/network/gracie"));
  });

  it("sends Enter without a choice to the search page", async () => {
    mockApi({ "GET /network/api/v1/people": [200, { items: [], next_cursor: null }] });
    signOutOfNetwork();
    const { router } = renderLayout();
    const user = userEvent.setup();
    await user.type(screen.getByRole("combobox", { name: "Search people" }), "zz{Enter}");
    await waitFor(() => expect(router.state.location.pathname).toBe("/network/search"));
    expect(router.state.location.search).toBe("?q=zz");
  });
});

describe("NetworkLayout's bell", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("shows the unread count and leads to the notifications", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/notifications/unread-count": [200, { unread_count: 3 }],
    });
    renderLayout();
    const bell = await screen.findByRole("link", { name: "Notifications, 3 unread" });
    expect(bell).toHaveAttribute("href", "/network/notifications");
    expect(bell).toHaveTextContent("3");
  });

  it("is not there for someone signed out", async () => {
    mockApi({});
    signOutOfNetwork();
    renderLayout();
    await waitFor(() => expect(screen.getByRole("link", { name: "Sandbox" })).toBeInTheDocument());
    expect(screen.queryByRole("link", { name: /Notifications/ })).not.toBeInTheDocument();
  });
});
