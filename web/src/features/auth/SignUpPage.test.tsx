import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithApp } from "@/test/render";
import SignUpPage from "./SignUpPage";
import { account, sessionState, signedOut, signedOutApi, tokens } from "./testData";

const routes = [
  { path: "/signup", element: <SignUpPage /> },
  { path: "/signin", element: <p>Sign-in page</p> },
  { path: "/", element: <p>Start page</p> },
];

function fieldProblem(status: number, field: string, code: string, message: string) {
  return [status, { type: "x", title: "Refused", status, detail: message, errors: [{ field, code, message }] }] as [
    number,
    unknown,
  ];
}

async function fill({ name = "Ada Lovelace", email = "ada@example.com", password = "a long enough secret" } = {}) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("Name"), name);
  await user.type(screen.getByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Create account" }));
}

describe("SignUpPage", () => {
  it("creates the account, signs in with the same credentials and goes to the start page", async () => {
    const session = sessionState();
    const calls = mockApi({
      "GET /api/v1/auth/me": session.me,
      "POST /api/v1/auth/refresh": [401, signedOut],
      "POST /api/v1/auth/signup": [201, account],
      "POST /api/v1/auth/login": () => {
        session.signIn();
        return [200, tokens];
      },
    });
    renderWithApp(routes, { at: "/signup" });

    await fill();

    expect(await screen.findByText("Start page")).toBeInTheDocument();
    const posts = calls.filter((call) => call.method === "POST" && call.path !== "/api/v1/auth/refresh");
    expect(posts).toEqual([
      {
        method: "POST",
        path: "/api/v1/auth/signup",
        body: { name: "Ada Lovelace", email: "ada@example.com", password: "a long enough secret" },
      },
      {
        method: "POST",
        path: "/api/v1/auth/login",
        body: { email: "ada@example.com", password: "a long enough secret" },
      },
    ]);
  });

  it("puts the server's email_taken error on the email field", async () => {
    mockApi({
      ...signedOutApi,
      "POST /api/v1/auth/signup": fieldProblem(
        409,
        "email",
        "email_taken",
        "An account with this email address exists.",
      ),
    });
    renderWithApp(routes, { at: "/signup" });

    await fill();

    expect(await screen.findByText("An account with this email already exists.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("An account with this email already exists.");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("refuses a short password before asking the server", async () => {
    const calls = mockApi({ ...signedOutApi });
    renderWithApp(routes, { at: "/signup" });

    await fill({ password: "short" });

    expect(await screen.findByText("Use at least 10 characters.")).toBeInTheDocument();
    expect(calls.some((call) => call.path === "/api/v1/auth/signup")).toBe(false);
  });

  it("puts the server's weak_password error on the password field", async () => {
    mockApi({
      ...signedOutApi,
      "POST /api/v1/auth/signup": fieldProblem(
        422,
        "password",
        "weak_password",
        "This password is among the most common ones.",
      ),
    });
    renderWithApp(routes, { at: "/signup" });

    await fill({ password: "password123" });

    expect(await screen.findByText(/Choose a stronger password/)).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
  });

  it("sends to the sign-in page when the account was made but signing in failed", async () => {
    mockApi({
      ...signedOutApi,
      "POST /api/v1/auth/signup": [201, account],
      "POST /api/v1/auth/login": [429, { type: "rate-limited", title: "Too many requests", status: 429 }],
    });
    renderWithApp(routes, { at: "/signup" });

    await fill();

    expect(await screen.findByText("Sign-in page")).toBeInTheDocument();
  });
});
