import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderPage } from "@/test/render";
import AuditPage from "./AuditPage";
import { auditEntry, me, members, workspaceAs, WORKSPACE_PATH } from "./testData";

const BASE = "/api/v1/workspaces/ws1";
const INTACT = { chain: "ws1", entries: 3, valid: true, first_broken_seq: null, reason: null };

function answers(role: Parameters<typeof workspaceAs>[0], chain: unknown = INTACT) {
  return {
    "GET /api/v1/auth/me": [200, me] as [number, unknown],
    [`GET ${BASE}`]: [200, workspaceAs(role)] as [number, unknown],
    [`GET ${BASE}/members`]: [200, { items: members, next_cursor: null }] as [number, unknown],
    [`GET ${BASE}/audit`]: [200, { items: [auditEntry], next_cursor: null }] as [number, unknown],
    [`GET ${BASE}/audit/verify`]: [200, chain] as [number, unknown],
  };
}

/** The query of each audit list request, as parameters. */
function auditQueries(calls: { method: string; path: string }[]) {
  return calls
    .filter((call) => call.path.startsWith(`${BASE}/audit?`))
    .map((call) => new URL(call.path, "http://x").searchParams);
}

describe("AuditPage", () => {
  it("asks for the entries the address's filters describe, and exports the same", async () => {
    const calls = mockApi(answers("admin"));
    renderPage(<AuditPage />, { at: "/w/ws1/settings/audit?actor=u3&action=member.", path: WORKSPACE_PATH });

    expect(await screen.findByRole("table", { name: "Audit log" })).toBeInTheDocument();
    expect(screen.getByText("Changed a member's role from viewer to editor")).toBeInTheDocument();
    const [query] = auditQueries(calls);
    expect(query?.get("actor")).toBe("u3");
    expect(query?.get("action")).toBe("member.");
    expect(screen.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
      "href",
      `${BASE}/audit/export.csv?actor=u3&action=member.`,
    );
    // The form shows the filters that apply.
    expect(screen.getByLabelText("Action")).toHaveValue("member.");
    await waitFor(() => expect(screen.getByLabelText("Actor")).toHaveValue("u3"));
  });

  it("applies the filters chosen in the form", async () => {
    const calls = mockApi(answers("owner"));
    const user = userEvent.setup();
    const { router } = renderPage(<AuditPage />, { at: "/w/ws1/settings/audit", path: WORKSPACE_PATH });
    await screen.findByRole("table", { name: "Audit log" });

    await user.selectOptions(screen.getByLabelText("Action"), "invitation.created");
    await user.selectOptions(screen.getByLabelText("Target type"), "invitation");
    await user.type(screen.getByLabelText("Target ID"), "i1");
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2024-03-01T09:30" } });
    await user.click(screen.getByRole("button", { name: "Apply filters" }));

    const from = new Date("2024-03-01T09:30").toISOString();
    await waitFor(() => expect(auditQueries(calls)).toHaveLength(2));
    const query = auditQueries(calls)[1]!;
    expect(Object.fromEntries(query)).toEqual({
      action: "invitation.created",
      target_type: "invitation",
      target_id: "i1",
      from,
      limit: "50",
    });
    // Kept in the address, so the view can be shared and survives a reload.
    expect(new URLSearchParams(router.state.location.search).get("from")).toBe(from);
    expect(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toContain("target_type=invitation");
  });

  it("refuses an empty time range before asking the server", async () => {
    const calls = mockApi(answers("owner"));
    const user = userEvent.setup();
    renderPage(<AuditPage />, { at: "/w/ws1/settings/audit", path: WORKSPACE_PATH });
    await screen.findByRole("table", { name: "Audit log" });

    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2024-03-02T09:30" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2024-03-01T09:30" } });
    await user.click(screen.getByRole("button", { name: "Apply filters" }));

    expect(await screen.findByText("Must be after From.")).toBeInTheDocument();
    expect(auditQueries(calls)).toHaveLength(1);
  });

  it("shows a broken chain with its first broken entry", async () => {
    mockApi(
      answers("admin", {
        chain: "ws1",
        entries: 12,
        valid: false,
        first_broken_seq: 7,
        reason: "The hash does not match.",
      }),
    );
    renderPage(<AuditPage />, { at: "/w/ws1/settings/audit", path: WORKSPACE_PATH });

    expect(await screen.findByText("Chain broken.")).toBeInTheDocument();
    expect(screen.getByText(/The first broken entry is #7\./)).toBeInTheDocument();
    expect(screen.getByText(/The hash does not match\./)).toBeInTheDocument();
  });

  it("shows an intact chain", async () => {
    mockApi(answers("admin"));
    renderPage(<AuditPage />, { at: "/w/ws1/settings/audit", path: WORKSPACE_PATH });
    expect(await screen.findByText("Chain intact.")).toBeInTheDocument();
    expect(screen.getByText("3 entries verified.")).toBeInTheDocument();
  });

  it("tells people without audit:read that only owners and admins see it", async () => {
    const calls = mockApi(answers("editor"));
    renderPage(<AuditPage />, { at: "/w/ws1/settings/audit", path: WORKSPACE_PATH });

    expect(await screen.findByText("Only owners and admins can see the audit log.")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Export CSV" })).not.toBeInTheDocument();
    expect(calls.some((call) => call.path.includes("/audit"))).toBe(false);
  });
});
