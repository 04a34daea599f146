import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithApp } from "@/test/render";
import AppShell from "./AppShell";
import { ME, WORKSPACE_ID, page, workspace } from "./fixtures";
import WelcomePage from "./WelcomePage";

const NEW_ID = "00000000-0000-4000-8000-0000000000cc";
const created = workspace("owner", { id: NEW_ID, name: "Initech", timezone: "UTC" });

function routes() {
  return [
    { path: "/welcome", element: <WelcomePage /> },
    { path: "/w/:workspaceId", element: <AppShell />, children: [{ index: true, element: <p>Home page</p> }] },
  ];
}

describe("new workspace", () => {
  it("asks for a name, then creates the workspace and opens it", async () => {
    const user = userEvent.setup();
    const calls = mockApi({
      "GET /api/v1/auth/me": [200, ME],
      "GET /api/v1/workspaces": [200, page([workspace("admin")])],
      [`GET /api/v1/workspaces/${WORKSPACE_ID}`]: [200, workspace("admin")],
      [`GET /api/v1/workspaces/${NEW_ID}`]: [200, created],
      "POST /api/v1/workspaces": [201, created],
    });
    const { router } = renderWithApp(routes(), { at: `/w/${WORKSPACE_ID}` });

    await user.click(await screen.findByRole("button", { name: "New workspace" }));
    const dialog = await screen.findByRole("dialog", { name: "New workspace" });
    await user.click(within(dialog).getByRole("button", { name: "Create workspace" }));
    expect(await within(dialog).findByText("Enter a name for the workspace.")).toBeInTheDocument();
    expect(within(dialog).getByLabelText("Workspace name")).toHaveAttribute("aria-invalid", "true");
    expect(calls.some((call) => call.method === "POST")).toBe(false);

    await user.type(within(dialog).getByLabelText("Workspace name"), "  Initech ");
    await user.selectOptions(within(dialog).getByLabelText("Time zone"), "UTC");
    await user.click(within(dialog).getByRole("button", { name: "Create workspace" }));

    expect(await screen.findByText("Home page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/w/${NEW_ID}`);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    const post = calls.find((call) => call.method === "POST" && call.path === "/api/v1/workspaces");
    expect(post?.body).toEqual({ name: "Initech", timezone: "UTC", locale: "en" });
  });

  it("shows the server's field errors on the fields", async () => {
    const user = userEvent.setup();
    mockApi({
      "GET /api/v1/auth/me": [200, ME],
      "GET /api/v1/workspaces": [200, page([])],
      "POST /api/v1/workspaces": [
        422,
        {
          type: "invalid-input",
          title: "Invalid input",
          status: 422,
          errors: [{ field: "timezone", message: "'Mars/Olympus' is not an IANA time zone", code: "value_error" }],
        },
      ],
    });
    renderWithApp(routes(), { at: "/welcome" });
    await user.type(await screen.findByLabelText("Workspace name"), "Initech");
    await user.click(screen.getByRole("button", { name: "Create workspace" }));
    expect(await screen.findByText("'Mars/Olympus' is not an IANA time zone")).toBeInTheDocument();
    expect(screen.getByLabelText("Time zone")).toHaveAttribute("aria-invalid", "true");
  });

  it("creates the first workspace from the welcome page and goes to it", async () => {
    const user = userEvent.setup();
    mockApi({
      "GET /api/v1/auth/me": [200, { ...ME, email_verified: false, email_verified_at: null }],
      "GET /api/v1/workspaces": [200, page([])],
      [`GET /api/v1/workspaces/${NEW_ID}`]: [200, created],
      "POST /api/v1/workspaces": [201, created],
    });
    const { router } = renderWithApp(routes(), { at: "/welcome" });
    expect(await screen.findByRole("button", { name: "Resend verification email" })).toBeInTheDocument();
    await user.type(screen.getByLabelText("Workspace name"), "Initech");
    await user.click(screen.getByRole("button", { name: "Create workspace" }));
    expect(await screen.findByText("Home page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/w/${NEW_ID}`);
  });
});
