import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderWithApp } from "@/test/render";
import NetworkSignUpPage from "./NetworkSignUpPage";
import { me, signInToNetwork, signOutOfNetwork, unauthorized } from "./testData";

const routes = [
  { path: "/network/signup", element: <NetworkSignUpPage /> },
  { path: "/network/signin", element: <p>Sign-in page</p> },
  { path: "/network/:username", element: <p>Profile page</p> },
  { path: "/network/search", element: <p>Search page</p> },
];

async function fill({ username = "ada", password = "a long enough secret" } = {}) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("Email"), "ada@example.com");
  await user.type(screen.getByLabelText("Username"), username);
  await user.type(screen.getByLabelText("Name"), "Ada Lovelace");
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign up" }));
}

describe("NetworkSignUpPage", () => {
  beforeEach(signOutOfNetwork);
  afterEach(signOutOfNetwork);

  it("creates the account, signs in with the email, and goes to `next`", async () => {
    const calls = mockApi({
      "POST /network/api/v1/auth/signup": [201, me],
      "POST /network/api/v1/auth/login": () => {
        signInToNetwork();
        return [200, { access_token: "a", refresh_token: "r", token_type: "bearer", expires_in: 900 }];
      },
      "GET /network/api/v1/auth/me": [200, me],
    });
    renderWithApp(routes, { at: "/network/signup?next=%2Fnetwork%2Fsearch" });

    await fill();

    expect(await screen.findByText("Search page")).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "POST")).toEqual([
      {
        method: "POST",
        path: "/network/api/v1/auth/signup",
        body: { email: "ada@example.com", username: "ada", name: "Ada Lovelace", password: "a long enough secret" },
      },
      {
        method: "POST",
        path: "/network/api/v1/auth/login",
        body: { login: "ada@example.com", password: "a long enough secret" },
      },
    ]);
  });

  it("does not follow a `next` to another site", async () => {
    mockApi({
      "POST /network/api/v1/auth/signup": [201, me],
      "POST /network/api/v1/auth/login": () => {
        signInToNetwork();
        return [200, { access_token: "a", refresh_token: "r", token_type: "bearer", expires_in: 900 }];
      },
      "GET /network/api/v1/auth/me": [200, me],
    });
    renderWithApp(routes, { at: "/network/signup?next=%2F%2Fevil.example" });

    await fill();

    expect(await screen.findByText("Profile page")).toBeInTheDocument();
  });

  it("puts the server's username_taken error on the username field", async () => {
    const message = "The username ada is taken: choose another.";
    mockApi({
      "POST /network/api/v1/auth/signup": [
        409,
        {
          type: "conflict",
          title: "This username is taken",
          status: 409,
          detail: message,
          errors: [{ field: "username", code: "username_taken", message }],
        },
      ],
      "GET /network/api/v1/auth/me": [401, unauthorized],
    });
    renderWithApp(routes, { at: "/network/signup" });

    await fill();

    // Known codes are shown in the person's language, by the one error mapping.
    const shown = "This username is taken. Choose another.";
    expect(await screen.findByText(shown)).toBeInTheDocument();
    expect(screen.getByLabelText("Username")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Username")).toHaveAccessibleDescription(shown);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("refuses a username against Instagram's rules before asking the server", async () => {
    const calls = mockApi({});
    renderWithApp(routes, { at: "/network/signup" });

    await fill({ username: "ada..l" });

    expect(await screen.findByText("A username cannot have two dots in a row.")).toBeInTheDocument();
    expect(calls.some((call) => call.path === "/network/api/v1/auth/signup")).toBe(false);
  });
});
