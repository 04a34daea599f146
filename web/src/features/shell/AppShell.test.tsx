import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderWithApp } from "@/test/render";
import { usePreferences } from "@/lib/preferences";
import AppShell from "./AppShell";
import { ME, WORKSPACE_ID, page, workspace } from "./fixtures";

function renderShell(answers: Parameters<typeof mockApi>[0], at = `/w/${WORKSPACE_ID}`) {
  const calls = mockApi({ "GET /api/v1/auth/me": [200, ME], ...answers });
  const view = renderWithApp(
    [
      { path: "/w/:workspaceId", element: <AppShell />, children: [{ index: true, element: <p>Home page</p> }] },
      { path: "/signin", element: <p>Sign-in page</p> },
      { path: "/", element: <p>Start page</p> },
    ],
    { at },
  );
  return { calls, ...view };
}

describe("AppShell", () => {
  it("hides the audit log from a viewer", async () => {
    renderShell({
      [`GET /api/v1/workspaces/${WORKSPACE_ID}`]: [200, workspace("viewer")],
      "GET /api/v1/workspaces": [200, page([workspace("viewer")])],
    });
    const nav = await screen.findByRole("navigation", { name: "Main" });
    await within(nav).findByRole("link", { name: "Team" });
    expect(within(nav).queryByRole("link", { name: "Audit log" })).not.toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
    expect(await screen.findByText("Home page")).toBeInTheDocument();
  });

  it("shows the audit log to an admin and remembers the workspace", async () => {
    usePreferences.getState().setLastWorkspaceId(null);
    renderShell({
      [`GET /api/v1/workspaces/${WORKSPACE_ID}`]: [200, workspace("admin")],
      "GET /api/v1/workspaces": [200, page([workspace("admin")])],
    });
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(await within(nav).findByRole("link", { name: "Audit log" })).toHaveAttribute(
      "href",
      `/w/${WORKSPACE_ID}/settings/audit`,
    );
    expect(within(nav).getByRole("link", { name: "Team" })).toBeInTheDocument();
    expect(usePreferences.getState().lastWorkspaceId).toBe(WORKSPACE_ID);
  });

  it("says so when the person is not a member", async () => {
    usePreferences.getState().setLastWorkspaceId(WORKSPACE_ID);
    renderShell({
      [`GET /api/v1/workspaces/${WORKSPACE_ID}`]: [
        404,
        { type: "not-found", title: "Not found", status: 404, detail: "No such workspace." },
      ],
    });
    expect(await screen.findByRole("heading", { name: "Workspace not available" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to your workspaces" })).toHaveAttribute("href", "/");
    expect(usePreferences.getState().lastWorkspaceId).toBeNull();
  });

  it("signs out and goes to the sign-in page", async () => {
    const user = userEvent.setup();
    const { calls, router } = renderShell({
      [`GET /api/v1/workspaces/${WORKSPACE_ID}`]: [200, workspace("editor")],
      "GET /api/v1/workspaces": [200, page([workspace("editor")])],
      "POST /api/v1/auth/logout": [204, null],
    });
    await user.click(await screen.findByRole("button", { name: /account menu$/i }));
    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(await screen.findByText("Sign-in page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(calls.some((call) => call.method === "POST" && call.path === "/api/v1/auth/logout")).toBe(true);
  });

  it("signs out everywhere", async () => {
    const user = userEvent.setup();
    const { calls } = renderShell({
      [`GET /api/v1/workspaces/${WORKSPACE_ID}`]: [200, workspace("editor")],
      "GET /api/v1/workspaces": [200, page([workspace("editor")])],
      "POST /api/v1/auth/logout-all": [204, null],
    });
    await user.click(await screen.findByRole("button", { name: /account menu$/i }));
    await user.click(await screen.findByRole("button", { name: "Sign out everywhere" }));
    expect(await screen.findByText("Sign-in page")).toBeInTheDocument();
    expect(calls.some((call) => call.method === "POST" && call.path === "/api/v1/auth/logout-all")).toBe(true);
  });

  it("lists the workspaces in the switcher, the current one checked", async () => {
    const user = userEvent.setup();
    const other = workspace("viewer", { id: "00000000-0000-4000-8000-0000000000bb", name: "Globex" });
    const { router } = renderShell({
      [`GET /api/v1/workspaces/${WORKSPACE_ID}`]: [200, workspace("owner")],
      [`GET /api/v1/workspaces/${other.id}`]: [200, other],
      "GET /api/v1/workspaces": [200, page([workspace("owner"), other])],
    });
    // Radix menus open on a pointer-down that jsdom does not make; the keyboard opens them as well.
    (await screen.findByRole("button", { name: /switch workspace$/i })).focus();
    await user.keyboard("{Enter}");
    // (The shared MenuRadioItem's check mark is part of the name, hence the pattern.)
    expect(await screen.findByRole("menuitemradio", { name: /^Acme/ })).toHaveAttribute("aria-checked", "true");
    await user.click(screen.getByRole("menuitemradio", { name: /^Globex/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/w/${other.id}`));
  });
});
