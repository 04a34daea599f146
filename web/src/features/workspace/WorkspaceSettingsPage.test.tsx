import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithApp } from "@/test/render";
import WorkspaceSettingsPage from "./WorkspaceSettingsPage";
import { me, workspaceAs, WORKSPACE_PATH } from "./testData";

const BASE = "/api/v1/workspaces/ws1";

function renderSettings() {
  return renderWithApp(
    [
      { path: "/", element: <p>Start page</p> },
      { path: WORKSPACE_PATH, element: <WorkspaceSettingsPage /> },
    ],
    { at: "/w/ws1/settings/workspace" },
  );
}

describe("WorkspaceSettingsPage", () => {
  it("deletes the workspace only once its name is typed", async () => {
    const calls = mockApi({
      "GET /api/v1/auth/me": [200, me],
      [`GET ${BASE}`]: [200, workspaceAs("owner")],
      "GET /api/v1/workspaces": [200, { items: [], next_cursor: null }],
      [`DELETE ${BASE}`]: [204, null],
    });
    const user = userEvent.setup();
    const { router } = renderSettings();

    await user.click(await screen.findByRole("button", { name: "Delete workspace" }));
    const dialog = await screen.findByRole("alertdialog");
    const confirm = within(dialog).getByRole("button", { name: "Delete workspace" });
    expect(confirm).toBeDisabled();

    const typed = within(dialog).getByLabelText("Type Acme Studio to confirm");
    await user.type(typed, "Acme");
    expect(confirm).toBeDisabled();
    await user.type(typed, " Studio");
    expect(confirm).toBeEnabled();
    await user.click(confirm);

    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
    const deletion = calls.find((call) => call.method === "DELETE");
    expect(deletion?.path).toBe(`${BASE}?confirm=Acme%20Studio`);
  });

  it("saves the name, time zone and language", async () => {
    const calls = mockApi({
      [`GET ${BASE}`]: [200, workspaceAs("admin")],
      [`PATCH ${BASE}`]: [200, { ...workspaceAs("admin"), name: "Acme", timezone: "UTC", locale: "it" }],
    });
    const user = userEvent.setup();
    renderSettings();

    const name = await screen.findByLabelText("Name");
    await user.clear(name);
    await user.type(name, "Acme");
    await user.selectOptions(screen.getByLabelText("Time zone"), "UTC");
    await user.selectOptions(screen.getByLabelText("Language"), "it");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() =>
      expect(calls).toContainEqual({
        method: "PATCH",
        path: BASE,
        body: { name: "Acme", timezone: "UTC", locale: "it" },
      }),
    );
    // An admin may not delete the workspace.
    expect(screen.queryByRole("button", { name: "Delete workspace" })).not.toBeInTheDocument();
  });

  it("shows the settings read-only to someone without workspace:write", async () => {
    mockApi({ [`GET ${BASE}`]: [200, workspaceAs("viewer")] });
    renderSettings();

    expect(await screen.findByLabelText("Name")).toBeDisabled();
    expect(screen.getByLabelText("Time zone")).toBeDisabled();
    expect(screen.getByText("Only owners and admins can change these settings.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Delete workspace" })).not.toBeInTheDocument();
  });
});
