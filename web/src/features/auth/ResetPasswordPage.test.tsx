import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderPage } from "@/test/render";
import ResetPasswordPage from "./ResetPasswordPage";

const invalidToken = {
  type: "validation-error",
  title: "The link is not valid",
  status: 422,
  detail: "This link is not valid.",
  errors: [{ field: "token", code: "invalid_token", message: "This link is not valid." }],
};

async function submit(password: string, confirmation: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("New password"), password);
  await user.type(screen.getByLabelText("Confirm new password"), confirmation);
  await user.click(screen.getByRole("button", { name: "Set new password" }));
}

describe("ResetPasswordPage", () => {
  it("refuses two passwords that differ, without asking the server", async () => {
    const calls = mockApi({});
    renderPage(<ResetPasswordPage />, { at: "/reset-password?token=tok" });

    await submit("a long enough secret", "a long enough secreT");

    expect(await screen.findByText("The two passwords do not match.")).toBeInTheDocument();
    expect(screen.getByLabelText("Confirm new password")).toHaveAttribute("aria-invalid", "true");
    expect(calls).toHaveLength(0);
  });

  it("sets the password and links to the sign-in page", async () => {
    const calls = mockApi({ "POST /api/v1/auth/password/reset": [204, null] });
    renderPage(<ResetPasswordPage />, { at: "/reset-password?token=tok" });

    await submit("a long enough secret", "a long enough secret");

    expect(await screen.findByRole("heading", { name: "Password changed" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Sign in with your new password" })).toHaveAttribute("href", "/signin");
    expect(calls).toEqual([
      {
        method: "POST",
        path: "/api/v1/auth/password/reset",
        body: { token: "tok", new_password: "a long enough secret" },
      },
    ]);
  });

  it("says clearly when the link is invalid or expired, with a way to ask again", async () => {
    mockApi({ "POST /api/v1/auth/password/reset": [422, invalidToken] });
    renderPage(<ResetPasswordPage />, { at: "/reset-password?token=old" });

    await submit("a long enough secret", "a long enough secret");

    expect(await screen.findByRole("alert")).toHaveTextContent("The reset link is not valid");
    expect(screen.getByRole("link", { name: "Send me a new link" })).toHaveAttribute("href", "/forgot-password");
  });

  it("says the same when the link has no token", () => {
    renderPage(<ResetPasswordPage />, { at: "/reset-password" });
    expect(screen.getByRole("alert")).toHaveTextContent("The reset link is not valid");
    expect(screen.queryByLabelText("New password")).not.toBeInTheDocument();
  });

  it("puts the server's weak_password error on the new password", async () => {
    mockApi({
      "POST /api/v1/auth/password/reset": [
        422,
        {
          type: "x",
          title: "Weak",
          status: 422,
          errors: [{ field: "new_password", code: "weak_password", message: "Common." }],
        },
      ],
    });
    renderPage(<ResetPasswordPage />, { at: "/reset-password?token=tok" });

    await submit("password123", "password123");

    expect(await screen.findByText(/Choose a stronger password/)).toBeInTheDocument();
    expect(screen.getByLabelText("New password")).toHaveAttribute("aria-invalid", "true");
  });
});
