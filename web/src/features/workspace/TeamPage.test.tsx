import { beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { toast } from "sonner";
import { mockApi, renderPage, renderWithApp } from "@/test/render";
import TeamPage from "./TeamPage";
import { invitation, me, member, members, workspaceAs, WORKSPACE_PATH } from "./testData";

vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

const AT = "/w/ws1/settings/team";
const BASE = "/api/v1/workspaces/ws1";

function answers(role: Parameters<typeof workspaceAs>[0], list = members) {
  return {
    "GET /api/v1/auth/me": [200, me] as [number, unknown],
    [`GET ${BASE}`]: [200, workspaceAs(role)] as [number, unknown],
    [`GET ${BASE}/members`]: [200, { items: list, next_cursor: null }] as [number, unknown],
    [`GET ${BASE}/invitations`]: [200, { items: [invitation], next_cursor: null }] as [number, unknown],
  };
}

describe("TeamPage", () => {
  beforeEach(() => vi.clearAllMocks());

  it("shows a viewer a read-only list without any controls", async () => {
    const calls = mockApi(answers("viewer"));
    renderPage(<TeamPage />, { at: AT, path: WORKSPACE_PATH });

    expect(await screen.findByText("Bob Editor")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "Team" })).toBeInTheDocument();
    expect(screen.queryAllByRole("combobox")).toHaveLength(0);
    expect(screen.queryByRole("button", { name: "Remove" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Make owner" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Invite" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Revoke" })).not.toBeInTheDocument();
    // Roles show as translated text instead.
    expect(screen.getAllByText("Owner").length).toBeGreaterThan(0);
    expect(calls.some((call) => call.path.startsWith(`${BASE}/invitations`))).toBe(false);
  });

  it("lets an admin manage members and sends the chosen role", async () => {
    const calls = mockApi({
      ...answers("admin", [
        member("u1", "Me Myself", "admin"),
        member("u2", "Owen Owner", "owner"),
        member("u3", "Bob Editor", "editor"),
      ]),
      [`PATCH ${BASE}/members/u3`]: [200, member("u3", "Bob Editor", "analyst")],
    });
    const user = userEvent.setup();
    renderPage(<TeamPage />, { at: AT, path: WORKSPACE_PATH });

    const select = await screen.findByRole("combobox", { name: "Role of Bob Editor" });
    expect(screen.getByRole("button", { name: "Invite" })).toBeInTheDocument();
    // An admin cannot touch an owner: no select, no Remove for Owen...
    expect(screen.queryByRole("combobox", { name: "Role of Owen Owner" })).not.toBeInTheDocument();
    // Nor remove themselves here (that is leaving).
    await waitFor(() => expect(screen.getAllByRole("button", { name: "Remove" })).toHaveLength(1));
    // Only owners transfer ownership.
    expect(screen.queryByRole("button", { name: "Make owner" })).not.toBeInTheDocument();
    expect(await screen.findByText("new@example.com")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Resend" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Revoke" })).toBeInTheDocument();
    // The admin's own options leave out owner.
    expect(within(select).queryByRole("option", { name: "Owner" })).not.toBeInTheDocument();

    await user.selectOptions(select, "analyst");

    await waitFor(() =>
      expect(calls).toContainEqual({ method: "PATCH", path: `${BASE}/members/u3`, body: { role: "analyst" } }),
    );
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("Bob Editor is now Analyst."));
  });

  it("shows the server's message when the last owner would be demoted", async () => {
    const detail = "This member is the workspace's last owner: make another member owner first.";
    mockApi({
      ...answers("owner", [member("u1", "Me Myself", "owner"), member("u3", "Bob Editor", "editor")]),
      [`PATCH ${BASE}/members/u1`]: [
        409,
        { type: "conflict", title: "A workspace keeps at least one owner", status: 409, detail },
      ],
    });
    const user = userEvent.setup();
    renderPage(<TeamPage />, { at: AT, path: WORKSPACE_PATH });

    const select = await screen.findByRole("combobox", { name: "Role of Me Myself" });
    expect(screen.getByRole("button", { name: "Make owner" })).toBeInTheDocument();
    await user.selectOptions(select, "admin");

    await waitFor(() => expect(toast.error).toHaveBeenCalledWith(detail));
    await waitFor(() => expect(select).toHaveValue("owner"));
  });

  it("puts the server's already_member error on the Email field of the invite dialog", async () => {
    const calls = mockApi({
      ...answers("admin"),
      [`POST ${BASE}/invitations`]: [
        409,
        {
          type: "conflict",
          title: "Already a member",
          status: 409,
          detail: "bob@example.com is already a member of this workspace: change their role instead.",
          errors: [{ field: "email", message: "already a member", code: "already_member" }],
        },
      ],
    });
    const user = userEvent.setup();
    renderPage(<TeamPage />, { at: AT, path: WORKSPACE_PATH });

    await user.click(await screen.findByRole("button", { name: "Invite" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("Email"), "bob@example.com");
    await user.selectOptions(within(dialog).getByLabelText("Role"), "editor");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    const email = within(dialog).getByLabelText("Email");
    await waitFor(() => expect(email).toHaveAttribute("aria-invalid", "true"));
    expect(email).toHaveAccessibleDescription("This person is already a member.");
    expect(calls).toContainEqual({
      method: "POST",
      path: `${BASE}/invitations`,
      body: { email: "bob@example.com", role: "editor" },
    });
    // Each role is explained where one is chosen.
    expect(
      within(dialog).getByText("Writes and schedules content; sees the rest without changing it."),
    ).toBeInTheDocument();
  });

  it("checks the email before asking the server", async () => {
    const calls = mockApi(answers("admin"));
    const user = userEvent.setup();
    renderPage(<TeamPage />, { at: AT, path: WORKSPACE_PATH });

    await user.click(await screen.findByRole("button", { name: "Invite" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("Email"), "not-an-email");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    expect(await within(dialog).findByText("Enter a valid email address.")).toBeInTheDocument();
    expect(calls.some((call) => call.method === "POST")).toBe(false);
  });
});

describe("leaving a workspace", () => {
  beforeEach(() => vi.clearAllMocks());

  it("removes the caller's own membership after confirmation and goes to the start page", async () => {
    const calls = mockApi({
      ...answers("viewer"),
      [`DELETE ${BASE}/members/${me.id}`]: [204, null],
    });
    const user = userEvent.setup();
    const { router } = renderWithApp(
      [
        { path: WORKSPACE_PATH, element: <TeamPage /> },
        { path: "/", element: <p>start</p> },
      ],
      { at: AT },
    );

    await user.click(await screen.findByRole("button", { name: "Leave workspace" }));
    const dialog = await screen.findByRole("alertdialog");
    await user.click(within(dialog).getByRole("button", { name: "Leave workspace" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
    expect(calls.filter((call) => call.method === "DELETE").map((call) => call.path)).toEqual([
      `${BASE}/members/${me.id}`,
    ]);
    expect(toast.success).toHaveBeenCalled();
  });

  it("shows the server's refusal when the last owner tries to leave", async () => {
    mockApi({
      ...answers("owner"),
      [`DELETE ${BASE}/members/${me.id}`]: [
        409,
        { type: "last-owner", title: "Last owner", status: 409, detail: "A workspace keeps at least one owner." },
      ],
    });
    const user = userEvent.setup();
    const { router } = renderPage(<TeamPage />, { at: AT, path: WORKSPACE_PATH });

    await user.click(await screen.findByRole("button", { name: "Leave workspace" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Leave workspace" }));

    await waitFor(() => expect(toast.error).toHaveBeenCalledWith("A workspace keeps at least one owner."));
    expect(router.state.location.pathname).toBe(AT);
  });
});
