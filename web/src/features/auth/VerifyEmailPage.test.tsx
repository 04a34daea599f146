import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode } from "react";
import { describe, expect, it } from "vitest";
import { mockApi, renderPage } from "@/test/render";
import { account, signedOut } from "./testData";
import VerifyEmailPage from "./VerifyEmailPage";

const invalidToken = {
  type: "validation-error",
  title: "The link is not valid",
  status: 422,
  errors: [{ field: "token", code: "invalid_token", message: "This link is not valid." }],
};

describe("VerifyEmailPage", () => {
  it("posts the token once, even in StrictMode, and links to the app", async () => {
    const calls = mockApi({
      "POST /api/v1/auth/verify-email": [204, null],
      "GET /api/v1/auth/me": [200, account],
    });
    renderPage(
      <StrictMode>
        <VerifyEmailPage />
      </StrictMode>,
      { at: "/verify-email?token=tok" },
    );

    expect(await screen.findByRole("heading", { name: "Email verified" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Open Viewfinder" })).toHaveAttribute("href", "/");
    expect(calls.filter((call) => call.path === "/api/v1/auth/verify-email")).toEqual([
      { method: "POST", path: "/api/v1/auth/verify-email", body: { token: "tok" } },
    ]);
  });

  it("offers a new link to a signed-in person when the link failed", async () => {
    const calls = mockApi({
      "POST /api/v1/auth/verify-email": [422, invalidToken],
      "GET /api/v1/auth/me": [200, account],
      "POST /api/v1/auth/verify-email/resend": [202, null],
    });
    renderPage(<VerifyEmailPage />, { at: "/verify-email?token=old" });

    expect(await screen.findByRole("alert")).toHaveTextContent("The verification link is not valid");
    await userEvent.setup().click(await screen.findByRole("button", { name: "Send a new link" }));
    await screen.findByRole("button", { name: "Send a new link" });
    expect(calls.some((call) => call.method === "POST" && call.path === "/api/v1/auth/verify-email/resend")).toBe(true);
  });

  it("asks a signed-out person to sign in for a new link", async () => {
    mockApi({
      "POST /api/v1/auth/verify-email": [422, invalidToken],
      "GET /api/v1/auth/me": [401, signedOut],
      "POST /api/v1/auth/refresh": [401, signedOut],
    });
    renderPage(<VerifyEmailPage />, { at: "/verify-email?token=old" });

    expect(await screen.findByRole("link", { name: "sign in" })).toHaveAttribute(
      "href",
      "/signin?next=%2Fverify-email%3Ftoken%3Dold",
    );
    expect(screen.queryByRole("button", { name: "Send a new link" })).not.toBeInTheDocument();
  });
});
