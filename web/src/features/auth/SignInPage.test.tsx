import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderWithApp } from "@/test/render";
import SignInPage from "./SignInPage";
import { account, sessionState, signedOut, tokens } from "./testData";

const routes = [
  { path: "/signin", element: <SignInPage /> },
  { path: "/w/:workspaceId", element: <p>Workspace home</p> },
  { path: "/", element: <p>Start page</p> },
];

async function fillAndSubmit(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("SignInPage", () => {
  it("signs in, reloads who is signed in and goes to `next`", async () => {
    const session = sessionState();
    const calls = mockApi({
      "GET /api/v1/auth/me": session.me,
      "POST /api/v1/auth/refresh": [401, signedOut],
      "POST /api/v1/auth/login": () => {
        session.signIn();
        return [200, tokens];
      },
    });
    const { router, queryClient } = renderWithApp(routes, { at: "/signin?next=%2Fw%2Fabc" });

    await fillAndSubmit("ada@example.com", "correct horse battery");

    expect(await screen.findByText("Workspace home")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/w/abc");
    expect(calls).toContainEqual({
      method: "POST",
      path: "/api/v1/auth/login",
      body: { email: "ada@example.com", password: "correct horse battery" },
    });
    expect(queryClient.getQueryData(["me"])).toEqual(account);
  });

  it("ignores a `next` that leads to another site", async () => {
    const session = sessionState();
    mockApi({
      "GET /api/v1/auth/me": session.me,
      "POST /api/v1/auth/refresh": [401, signedOut],
      "POST /api/v1/auth/login": () => {
        session.signIn();
        return [200, tokens];
      },
    });
    renderWithApp(routes, { at: "/signin?next=%2F%2Fevil.example" });

    await fillAndSubmit("ada@example.com", "correct horse battery");

    expect(await screen.findByText("Start page")).toBeInTheDocument();
  });

  it("shows a banner when the email or password is wrong", async () => {
    mockApi({
      "GET /api/v1/auth/me": [401, signedOut],
      "POST /api/v1/auth/refresh": [401, signedOut],
      "POST /api/v1/auth/login": [
        401,
        { ...signedOut, title: "Wrong email or password", detail: "The email or the password is wrong." },
      ],
    });
    const { router } = renderWithApp(routes, { at: "/signin" });

    await fillAndSubmit("ada@example.com", "wrong password");

    expect(await screen.findByRole("alert")).toHaveTextContent("The email or the password is wrong");
    expect(router.state.location.pathname).toBe("/signin");
  });

  it("shows the retry time when there were too many attempts", async () => {
    mockApi({
      "GET /api/v1/auth/me": [401, signedOut],
      "POST /api/v1/auth/refresh": [401, signedOut],
      "POST /api/v1/auth/login": [
        429,
        { type: "rate-limited", title: "Too many requests", status: 429, detail: "Too many requests." },
      ],
    });
    renderWithApp(routes, { at: "/signin" });

    await fillAndSubmit("ada@example.com", "whatever it is");

    expect(await screen.findByRole("alert")).toHaveTextContent(/Too many attempts\. Try again in \d+ seconds/);
  });

  it("checks the fields before asking the server", async () => {
    const calls = mockApi({ "GET /api/v1/auth/me": [401, signedOut], "POST /api/v1/auth/refresh": [401, signedOut] });
    const user = userEvent.setup();
    renderWithApp(routes, { at: "/signin" });

    await user.click(await screen.findByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("Enter your email address.")).toBeInTheDocument();
    expect(screen.getByText("Enter a password.")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");

    await user.type(screen.getByLabelText("Email"), "not-an-address");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText(/Enter a valid email address/)).toBeInTheDocument();
    expect(calls.filter((call) => call.path === "/api/v1/auth/login")).toHaveLength(0);
  });

  it("goes straight on when already signed in", async () => {
    mockApi({ "GET /api/v1/auth/me": [200, account] });
    renderWithApp(routes, { at: "/signin?next=%2Fw%2Fxyz" });
    expect(await screen.findByText("Workspace home")).toBeInTheDocument();
  });

  it("links to the password reset and sign-up pages", async () => {
    mockApi({ "GET /api/v1/auth/me": [401, signedOut], "POST /api/v1/auth/refresh": [401, signedOut] });
    renderWithApp(routes, { at: "/signin" });
    expect(await screen.findByRole("link", { name: "Forgot your password?" })).toHaveAttribute(
      "href",
      "/forgot-password",
    );
    expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "/signup");
    await waitFor(() => expect(screen.getByRole("main")).toBeInTheDocument());
  });
});
