import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage, renderWithApp } from "@/test/render";
import FollowRequestsPage from "./FollowRequestsPage";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const request = {
  id: "7",
  created_at: "2026-01-02T00:00:00Z",
  person: {
    id: "1",
    username: "grace",
    name: "Grace Hopper",
    avatar_url: null,
    account_type: "personal",
    is_private: false,
  },
};

describe("FollowRequestsPage", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("accepts a request", async () => {
    let answered = false;
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, { ...me, is_private: true }],
      "GET /network/api/v1/me/follow-requests": () => [200, { items: answered ? [] : [request], next_cursor: null }],
      "POST /network/api/v1/me/follow-requests/7/accept": () => {
        answered = true;
        return [204, null];
      },
    });
    renderPage(<FollowRequestsPage />, { at: "/network/requests" });
    await userEvent.click(await screen.findByRole("button", { name: "Accept grace" }));
    expect(await screen.findByText("No follow requests")).toBeInTheDocument();
    expect(calls.some((call) => call.method === "POST" && call.path.endsWith("/7/accept"))).toBe(true);
  });

  it("sends a signed-out visitor to the sign-in page", async () => {
    signOutOfNetwork();
    mockApi({});
    const { router } = renderWithApp(
      [
        { path: "/network/requests", element: <FollowRequestsPage /> },
        { path: "/network/signin", element: <p>Sign-in page</p> },
      ],
      { at: "/network/requests" },
    );
    await vi.waitFor(() => expect(router.state.location.pathname).toBe("/network/signin"));
    expect(router.state.location.search).toBe("?next=%2Fnetwork%2Frequests");
  });
});
