import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { toast } from "sonner";
import { mockApi, renderWithApp } from "@/test/render";
import ProfilePage from "../ProfilePage";
import { me, profile, signInToNetwork, signOutOfNetwork } from "../testData";
import { thread } from "./testData";

vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));

function showGrace(extra: Parameters<typeof mockApi>[0] = {}) {
  const calls = mockApi({
    "GET /network/api/v1/auth/me": [200, me],
    "GET /network/api/v1/people/grace": [200, profile()],
    ...extra,
  });
  const view = renderWithApp(
    [
      { path: "/network/:username", element: <ProfilePage /> },
      { path: "/network/messages/:threadId", element: <p>Conversation page</p> },
    ],
    { at: "/network/grace" },
  );
  return { calls, ...view };
}

const posts = (calls: ReturnType<typeof mockApi>) =>
  calls.filter((call) => call.method === "POST").map(({ path, body }) => ({ path, body }));

describe("Message on a profile", () => {
  beforeEach(signInToNetwork);
  afterEach(() => {
    signOutOfNetwork();
    vi.mocked(toast.error).mockClear();
  });

  it("sits beside Follow and opens the conversation with the person", async () => {
    const { calls, router } = showGrace({ "POST /network/api/v1/messages/threads": [200, thread({ id: "901" })] });
    expect(await screen.findByRole("button", { name: "Follow" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Message" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/network/messages/901"));
    expect(await screen.findByText("Conversation page")).toBeInTheDocument();
    expect(posts(calls)).toEqual([{ path: "/network/api/v1/messages/threads", body: { username: "grace" } }]);
  });

  it("says why when one of them blocked the other, and stays on the profile", async () => {
    const { router } = showGrace({
      "POST /network/api/v1/messages/threads": [
        403,
        {
          type: "blocked",
          title: "You can't message this account",
          status: 403,
          detail: "You can't message this account.",
        },
      ],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Message" }));
    await waitFor(() => expect(toast.error).toHaveBeenCalledWith("You can't message this account."));
    expect(router.state.location.pathname).toBe("/network/grace");
  });

  it("is not offered on one's own profile", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/people/ada": [200, { ...profile(), ...me }],
    });
    renderWithApp([{ path: "/network/:username", element: <ProfilePage /> }], { at: "/network/ada" });
    expect(await screen.findByRole("link", { name: "Edit profile" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Message" })).not.toBeInTheDocument();
  });

  it("is not offered to someone signed out", async () => {
    signOutOfNetwork();
    mockApi({ "GET /network/api/v1/people/grace": [200, profile()] });
    renderWithApp([{ path: "/network/:username", element: <ProfilePage /> }], { at: "/network/grace" });
    expect(await screen.findByRole("link", { name: "Follow" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Message" })).not.toBeInTheDocument();
  });
});
