import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithApp } from "@/test/render";
import AcceptInvitationPage from "./AcceptInvitationPage";
import { account, sessionState, signedOut, tokens } from "./testData";

const routes = [
  { path: "/invitations/:token", element: <AcceptInvitationPage /> },
  { path: "/w/:workspaceId", element: <p>Workspace home</p> },
  { path: "/", element: <p>Start page</p> },
];

const preview = {
  workspace_name: "Acme Studio",
  invited_by_name: "Grace Hopper",
  email: "ada@example.com",
  role: "editor",
  expires_at: "2030-01-08T10:00:00Z",
};

const workspace = {
  id: "22222222-2222-4222-8222-222222222222",
  name: "Acme Studio",
  timezone: "UTC",
  locale: "en",
  role: "editor",
  permissions: ["workspace:read"],
  assignable_roles: [],
  created_at: "2025-01-01T00:00:00Z",
};

describe("AcceptInvitationPage", () => {
  it("shows what the invitation is for and, signed out, a sign-up form for the invited address", async () => {
    mockApi({
      "GET /api/v1/invitations/tok": [200, preview],
      "GET /api/v1/auth/me": [401, signedOut],
      "POST /api/v1/auth/refresh": [401, signedOut],
    });
    renderWithApp(routes, { at: "/invitations/tok" });

    expect(await screen.findByRole("heading", { level: 1, name: "Join Acme Studio" })).toBeInTheDocument();
    expect(screen.getByText(/Grace Hopper invited you/)).toBeInTheDocument();
    expect(screen.getByText("Editor")).toBeInTheDocument();
    expect(await screen.findByLabelText("Name")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
    expect(screen.getByLabelText("Email")).toHaveAttribute("readonly");
    expect(screen.getByRole("button", { name: "Create account" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "I already have an account" })).toHaveAttribute(
      "href",
      "/signin?next=%2Finvitations%2Ftok",
    );
    expect(screen.queryByRole("button", { name: "Accept invitation" })).not.toBeInTheDocument();
  });

  it("signs up through the invitation, then signs in as the invited address", async () => {
    const session = sessionState();
    const calls = mockApi({
      "GET /api/v1/invitations/tok": [200, preview],
      "GET /api/v1/auth/me": session.me,
      "POST /api/v1/auth/refresh": [401, signedOut],
      "POST /api/v1/invitations/tok/signup": [201, { ...account, email_verified: true }],
      "POST /api/v1/auth/login": () => {
        session.signIn();
        return [200, tokens];
      },
    });
    const user = userEvent.setup();
    renderWithApp(routes, { at: "/invitations/tok" });

    await user.type(await screen.findByLabelText("Name"), "Ada Lovelace");
    await user.type(screen.getByLabelText("Password"), "a long enough secret");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByText("Start page")).toBeInTheDocument();
    expect(calls).toContainEqual({
      method: "POST",
      path: "/api/v1/invitations/tok/signup",
      body: { name: "Ada Lovelace", password: "a long enough secret" },
    });
    expect(calls).toContainEqual({
      method: "POST",
      path: "/api/v1/auth/login",
      body: { email: "ada@example.com", password: "a long enough secret" },
    });
  });

  it("signed in as the invited address, accepts and opens the workspace", async () => {
    const calls = mockApi({
      "GET /api/v1/invitations/tok": [200, preview],
      "GET /api/v1/auth/me": [200, account],
      "POST /api/v1/invitations/tok/accept": [200, workspace],
    });
    const user = userEvent.setup();
    const { router } = renderWithApp(routes, { at: "/invitations/tok" });

    await user.click(await screen.findByRole("button", { name: "Accept invitation" }));

    expect(await screen.findByText("Workspace home")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/w/${workspace.id}`);
    expect(calls).toContainEqual({ method: "POST", path: "/api/v1/invitations/tok/accept", body: undefined });
    expect(screen.queryByLabelText("Name")).not.toBeInTheDocument();
  });

  it("signed in as someone else, says so instead of offering to accept", async () => {
    mockApi({
      "GET /api/v1/invitations/tok": [200, preview],
      "GET /api/v1/auth/me": [200, { ...account, email: "someone@example.com" }],
    });
    renderWithApp(routes, { at: "/invitations/tok" });

    expect(await screen.findByRole("alert")).toHaveTextContent("this invitation is for ada@example.com");
    expect(screen.getByRole("button", { name: "Sign out" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Accept invitation" })).not.toBeInTheDocument();
  });

  it("says clearly when the invitation can no longer be used", async () => {
    mockApi({
      "GET /api/v1/invitations/old": [
        410,
        { type: "invitation-gone", title: "Gone", status: 410, detail: "This invitation was withdrawn." },
      ],
      "GET /api/v1/auth/me": [401, signedOut],
      "POST /api/v1/auth/refresh": [401, signedOut],
    });
    renderWithApp(routes, { at: "/invitations/old" });

    const alert = await screen.findByRole("alert");
    expect(screen.getByRole("heading", { level: 1, name: "This invitation cannot be used" })).toBeInTheDocument();
    expect(within(alert).getByText("This invitation was withdrawn.")).toBeInTheDocument();
    expect(screen.queryByLabelText("Name")).not.toBeInTheDocument();
  });
});
