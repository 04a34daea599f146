import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderPage } from "@/test/render";
import ForgotPasswordPage from "./ForgotPasswordPage";

describe("ForgotPasswordPage", () => {
  it("always answers with the same message", async () => {
    const calls = mockApi({ "POST /api/v1/auth/password/forgot": [202, null] });
    const user = userEvent.setup();
    renderPage(<ForgotPasswordPage />, { at: "/forgot-password" });

    await user.type(screen.getByLabelText("Email"), "nobody@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByRole("status")).toHaveTextContent("If an account exists for nobody@example.com");
    expect(calls).toEqual([
      { method: "POST", path: "/api/v1/auth/password/forgot", body: { email: "nobody@example.com" } },
    ]);
  });

  it("shows the retry time when asked too often", async () => {
    mockApi({
      "POST /api/v1/auth/password/forgot": [429, { type: "rate-limited", title: "Too many requests", status: 429 }],
    });
    const user = userEvent.setup();
    renderPage(<ForgotPasswordPage />, { at: "/forgot-password" });

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(/Too many attempts/);
  });
});
