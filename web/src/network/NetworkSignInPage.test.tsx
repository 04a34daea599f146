import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderWithApp } from "@/test/render";
import NetworkSignInPage from "./NetworkSignInPage";
import { me, signInToNetwork, signOutOfNetwork, unauthorized } from "./testData";

const routes = [
  { path: "/network/signin", element: <NetworkSignInPage /> },
  { path: "/network/requests", element: <p>Requests page</p> },
  { path: "/network/:username", element: <p>Profile page</p> },
];

async function signIn(login: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("Email or username"), login);
  await user.type(screen.getByLabelText("Password"), "a long enough secret");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("NetworkSignInPage", () => {
  beforeEach(signOutOfNetwork);
  afterEach(signOutOfNetwork);

  it("signs in with the username and goes back to `next`", async () => {
    const calls = mockApi({
      "POST /network/api/v1/auth/login": () => {
        signInToNetwork();
        return [200, { access_token: "a", refresh_token: "r", token_type: "bearer", expires_in: 900 }];
      },
      "GET /network/api/v1/auth/me": [200, me],
    });
    renderWithApp(routes, { at: "/network/signin?next=%2Fnetwork%2Frequests" });
    await signIn("ada");
    expect(await screen.findByText("Requests page")).toBeInTheDocument();
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({
      login: "ada",
      password: "a long enough secret",
    });
  });

  it("says the login or the password is wrong, without saying which", async () => {
    mockApi({
      "POST /network/api/v1/auth/login": [401, { ...unauthorized, title: "Wrong login or password" }],
    });
    renderWithApp(routes, { at: "/network/signin" });
    await signIn("ada@example.com");
    expect(await screen.findByRole("alert")).toHaveTextContent("The login or the password is wrong.");
  });
});
