import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage, renderWithApp } from "@/test/render";
import ConsentPage from "./ConsentPage";
import { browser } from "./oauth/leave";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const request = {
  client_id: "41",
  redirect_uri: "https://suite.example/callback",
  scope: "instagram_business_basic,instagram_business_content_publish",
  response_type: "code",
  state: "xyz",
};
const at = `/network/authorize?${new URLSearchParams(request).toString()}`;
const details = {
  app_id: "41",
  app_name: "Viewfinder",
  scopes: ["instagram_business_basic", "instagram_business_content_publish"],
  redirect_uri: request.redirect_uri,
};
const business = { ...me, account_type: "business" as const };

describe("ConsentPage", () => {
  beforeEach(signInToNetwork);
  afterEach(() => {
    signOutOfNetwork();
    vi.restoreAllMocks();
  });

  it("shows the app, the account and the scopes in plain words", async () => {
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, business],
      "GET /network/api/v1/oauth/consent": [200, details],
    });
    renderPage(<ConsentPage />, { at });
    expect(await screen.findByRole("heading", { name: "Connect Viewfinder" })).toBeInTheDocument();
    expect(screen.getByText("@ada")).toBeInTheDocument();
    expect(screen.getByText("See your profile and your posts")).toBeInTheDocument();
    expect(screen.getByText("Publish posts, reels and stories for you")).toBeInTheDocument();
    const asked = calls.find((call) => call.path.startsWith("/network/api/v1/oauth/consent"));
    expect(new URLSearchParams(asked?.path.split("?")[1]).get("scope")).toBe(request.scope);
  });

  it("allows, then leaves for the app's address with the code", async () => {
    const leave = vi.spyOn(browser, "leaveTo").mockImplementation(() => {});
    const redirectTo = "https://suite.example/callback?code=AQxyz&state=xyz#_";
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, business],
      "GET /network/api/v1/oauth/consent": [200, details],
      "POST /network/api/v1/oauth/consent": [200, { redirect_to: redirectTo }],
    });
    renderPage(<ConsentPage />, { at });
    await userEvent.click(await screen.findByRole("button", { name: "Allow" }));
    await vi.waitFor(() => expect(leave).toHaveBeenCalledWith(redirectTo));
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({ ...request, allow: true });
  });

  it("cancels, sending allow: false", async () => {
    const leave = vi.spyOn(browser, "leaveTo").mockImplementation(() => {});
    const denied = "https://suite.example/callback?error=access_denied&error_reason=user_denied";
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, business],
      "GET /network/api/v1/oauth/consent": [200, details],
      "POST /network/api/v1/oauth/consent": [200, { redirect_to: denied }],
    });
    renderPage(<ConsentPage />, { at });
    await userEvent.click(await screen.findByRole("button", { name: "Cancel" }));
    await vi.waitFor(() => expect(leave).toHaveBeenCalledWith(denied));
    expect(calls.find((call) => call.method === "POST")?.body).toMatchObject({ allow: false });
  });

  it("tells a personal account how to switch, and does not let it allow", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/oauth/consent": [200, details],
    });
    renderPage(<ConsentPage />, { at });
    expect(await screen.findByText("Only business and creator accounts can connect apps")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Allow" })).toBeDisabled();
    expect(screen.getByRole("link", { name: "Edit profile" })).toHaveAttribute("href", "/network/settings/profile");
    expect(screen.getByRole("button", { name: "Cancel" })).toBeEnabled();
  });

  it("names the problem of a request that cannot be answered", async () => {
    const detail = "Invalid redirect_uri: it must be exactly one of the app's registered redirect URIs.";
    mockApi({
      "GET /network/api/v1/auth/me": [200, business],
      "GET /network/api/v1/oauth/consent": [400, { type: "oauth-request-refused", title: "Bad", status: 400, detail }],
    });
    renderPage(<ConsentPage />, { at });
    expect(await screen.findByRole("alert")).toHaveTextContent(detail);
    expect(screen.queryByRole("button", { name: "Allow" })).not.toBeInTheDocument();
  });

  it("sends a signed-out visitor to sign in, and back here after", async () => {
    signOutOfNetwork();
    mockApi({});
    const { router } = renderWithApp(
      [
        { path: "/network/authorize", element: <ConsentPage /> },
        { path: "/network/signin", element: <p>Sign-in page</p> },
      ],
      { at },
    );
    await vi.waitFor(() => expect(router.state.location.pathname).toBe("/network/signin"));
    expect(new URLSearchParams(router.state.location.search).get("next")).toBe(at);
  });
});
