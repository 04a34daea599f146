import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockApi, renderPage } from "@/test/render";
import { ME, WORKSPACE_ID, workspace } from "@/features/shell/fixtures";
import HomePage from "./HomePage";

function renderHome(role: "admin" | "viewer", me = ME) {
  mockApi({ "GET /api/v1/auth/me": [200, me], [`GET /api/v1/workspaces/${WORKSPACE_ID}`]: [200, workspace(role)] });
  renderPage(<HomePage />, { at: `/w/${WORKSPACE_ID}`, path: "/w/:workspaceId" });
}

describe("HomePage", () => {
  it("suggests inviting the team to those who may", async () => {
    renderHome("admin");
    expect(await screen.findByRole("heading", { level: 1, name: "Welcome, Ada" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Invite people" })).toHaveAttribute(
      "href",
      `/w/${WORKSPACE_ID}/settings/team`,
    );
    expect(screen.getByRole("link", { name: "Open workspace settings" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Resend verification email" })).not.toBeInTheDocument();
  });

  it("leaves out what a viewer cannot do, and asks to verify the email", async () => {
    renderHome("viewer", { ...ME, email_verified: false, email_verified_at: null });
    expect(await screen.findByRole("heading", { level: 1 })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Invite people" })).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "View workspace settings" })).toBeInTheDocument();
    expect(screen.getByText(/Schedules and reports here use Europe\/Rome/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Resend verification email" })).toBeInTheDocument();
  });
});
