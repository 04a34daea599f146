import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderPage } from "@/test/render";
import { page } from "@/features/shell/fixtures";
import SecurityPage from "./SecurityPage";

const SESSIONS = [
  {
    id: "00000000-0000-4000-8000-000000000101",
    device: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    ip: "192.0.2.1",
    created_at: "2025-03-01T10:00:00Z",
    last_active_at: "2025-03-02T10:00:00Z",
    expires_at: "2025-04-01T10:00:00Z",
    current: true,
  },
  {
    id: "00000000-0000-4000-8000-000000000102",
    device: "curl/8.5.0",
    ip: "198.51.100.7",
    created_at: "2025-02-01T10:00:00Z",
    last_active_at: "2025-02-02T10:00:00Z",
    expires_at: "2025-03-03T10:00:00Z",
    current: false,
  },
];

const TOKEN_INFO = {
  id: "00000000-0000-4000-8000-000000000201",
  name: "Reporting script",
  display_prefix: "vf_pat_ab12",
  scopes: ["content:read", "reports:write"],
  created_at: "2025-03-01T10:00:00Z",
  expires_at: null,
  last_used_at: null,
};
const SECRET = "vf_pat_ab12-this-is-the-secret-part";

describe("SecurityPage", () => {
  it("puts a wrong current password on its field", async () => {
    const user = userEvent.setup();
    const calls = mockApi({
      "GET /api/v1/auth/sessions": [200, page(SESSIONS)],
      "GET /api/v1/auth/tokens": [200, page([])],
      "POST /api/v1/auth/password": [
        422,
        {
          type: "invalid-input",
          title: "The password is wrong",
          status: 422,
          errors: [{ field: "current_password", message: "The password is wrong.", code: "wrong_password" }],
        },
      ],
    });
    renderPage(<SecurityPage />);
    await user.type(screen.getByLabelText("Current password"), "not-my-password");
    await user.type(screen.getByLabelText("New password"), "a-much-better-passphrase");
    await user.type(screen.getByLabelText("Confirm new password"), "a-much-better-passphrase");
    await user.click(screen.getByRole("button", { name: "Change password" }));

    const current = screen.getByLabelText("Current password");
    await waitFor(() => expect(current).toHaveAttribute("aria-invalid", "true"));
    expect(current).toHaveAccessibleDescription("The password is not right.");
    expect(screen.getByLabelText("New password")).toHaveAttribute("aria-invalid", "false");
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({
      current_password: "not-my-password",
      new_password: "a-much-better-passphrase",
    });
  });

  it("checks the confirmation before asking the server", async () => {
    const user = userEvent.setup();
    const calls = mockApi({
      "GET /api/v1/auth/sessions": [200, page(SESSIONS)],
      "GET /api/v1/auth/tokens": [200, page([])],
    });
    renderPage(<SecurityPage />);
    await user.type(screen.getByLabelText("Current password"), "old-password-1");
    await user.type(screen.getByLabelText("New password"), "a-much-better-passphrase");
    await user.type(screen.getByLabelText("Confirm new password"), "a-different-passphrase");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("The two passwords do not match.")).toBeInTheDocument();
    expect(calls.some((call) => call.method === "POST")).toBe(false);
  });

  it("lists sessions and revokes another one", async () => {
    const user = userEvent.setup();
    const calls = mockApi({
      "GET /api/v1/auth/sessions": [200, page(SESSIONS)],
      "GET /api/v1/auth/tokens": [200, page([])],
      [`DELETE /api/v1/auth/sessions/${SESSIONS[1]!.id}`]: [204, null],
    });
    renderPage(<SecurityPage />);
    expect(await screen.findByText("Firefox on Linux")).toBeInTheDocument();
    expect(screen.getByText("This device")).toBeInTheDocument();
    // The current session cannot be revoked here; the other one can.
    expect(screen.getAllByRole("button", { name: /^Revoke session/ })).toHaveLength(1);
    await user.click(screen.getByRole("button", { name: "Revoke session on curl/8.5.0" }));
    await waitFor(() => expect(calls.some((call) => call.method === "DELETE")).toBe(true));
  });

  it("shows a new token once", async () => {
    const user = userEvent.setup();
    let listed: (typeof TOKEN_INFO)[] = [];
    const calls = mockApi({
      "GET /api/v1/auth/sessions": [200, page(SESSIONS)],
      "GET /api/v1/auth/tokens": () => [200, page(listed)],
      "POST /api/v1/auth/tokens": () => {
        listed = [TOKEN_INFO];
        return [201, { ...TOKEN_INFO, token: SECRET }];
      },
    });
    renderPage(<SecurityPage />);
    expect(await screen.findByText("No API tokens yet")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Create token" }));
    const dialog = await screen.findByRole("dialog", { name: "Create token" });
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));
    expect(await within(dialog).findByText("Enter a name for the token.")).toBeInTheDocument();
    expect(within(dialog).getByText("Choose at least one scope.")).toBeInTheDocument();

    await user.type(within(dialog).getByLabelText("Name"), "Reporting script");
    await user.click(within(dialog).getByRole("checkbox", { name: "Write reports" }));
    await user.click(within(dialog).getByRole("checkbox", { name: "Read content" }));
    await user.selectOptions(within(dialog).getByLabelText("Expires after"), "never");
    await user.click(within(dialog).getByRole("button", { name: "Create token" }));

    const shown = await screen.findByRole("dialog", { name: "Your new token" });
    expect(within(shown).getByLabelText("Token")).toHaveValue(SECRET);
    expect(within(shown).getByRole("alert")).toHaveTextContent("it will not be shown again");
    expect(within(shown).getByRole("button", { name: "Copy" })).toBeInTheDocument();
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({
      name: "Reporting script",
      scopes: ["content:read", "reports:write"],
      expires_in_days: null,
    });

    await user.click(within(shown).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(await screen.findByText("vf_pat_ab12…")).toBeInTheDocument();
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();

    // Opening the dialog again starts a new token; the old secret is gone for good.
    await user.click(screen.getByRole("button", { name: "Create token" }));
    const again = await screen.findByRole("dialog", { name: "Create token" });
    expect(within(again).getByLabelText("Name")).toHaveValue("");
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
  });

  it("revokes a token after confirming", async () => {
    const user = userEvent.setup();
    const calls = mockApi({
      "GET /api/v1/auth/sessions": [200, page(SESSIONS)],
      "GET /api/v1/auth/tokens": [200, page([TOKEN_INFO])],
      [`DELETE /api/v1/auth/tokens/${TOKEN_INFO.id}`]: [204, null],
    });
    renderPage(<SecurityPage />);
    await user.click(await screen.findByRole("button", { name: "Revoke token Reporting script" }));
    const confirm = await screen.findByRole("alertdialog", { name: "Revoke this token?" });
    await user.click(within(confirm).getByRole("button", { name: "Revoke token" }));
    await waitFor(() =>
      expect(calls.some((call) => call.method === "DELETE" && call.path.endsWith(TOKEN_INFO.id))).toBe(true),
    );
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
  });
});
