import { screen, waitFor } from "@testing-library/react";
import { mockApi, renderWithApp } from "@/test/render";
import NetworkLayout from "../NetworkLayout";
import { me, signInToNetwork, signOutOfNetwork } from "../testData";
import { messageKeys } from "./queries";

function renderLayout() {
  return renderWithApp(
    [{ path: "/network", element: <NetworkLayout />, children: [{ index: true, element: <p>Home page</p> }] }],
    { at: "/network" },
  );
}

describe("The top bar's messages link", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("leads to the inbox with a badge of the unread conversations", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/messages/unread-count": [200, { unread_count: 2 }],
    });
    renderLayout();
    // Two answers in a row (who is signed in, then the count): more than the default second on a busy machine.
    const link = await screen.findByRole("link", { name: "Messages, 2 unread conversations" }, { timeout: 5000 });
    expect(link).toHaveAttribute("href", "/network/messages");
    expect(link).toHaveTextContent("2");
  });

  it("has no badge when everything is read", async () => {
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/messages/unread-count": [200, { unread_count: 0 }],
    });
    const { queryClient } = renderLayout();
    await waitFor(() => expect(queryClient.getQueryState(messageKeys.unread)?.status).toBe("success"));
    const link = screen.getByRole("link", { name: "Messages" });
    expect(link).toHaveAttribute("href", "/network/messages");
    expect(link.textContent).toBe("");
    expect(calls.map((call) => call.path)).toContain("/network/api/v1/messages/unread-count");
  });

  it("is not there for someone signed out, who is not asked for a count", async () => {
    const calls = mockApi({});
    signOutOfNetwork();
    renderLayout();
    await waitFor(() => expect(screen.getByRole("link", { name: "Sandbox" })).toBeInTheDocument());
    expect(screen.queryByRole("link", { name: /^Messages/ })).not.toBeInTheDocument();
    expect(calls.filter((call) => call.path.includes("/messages"))).toEqual([]);
  });
});
