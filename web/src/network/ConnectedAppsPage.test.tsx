import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage } from "@/test/render";
import ConnectedAppsPage from "./ConnectedAppsPage";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const viewfinder = {
  id: "41",
  name: "Viewfinder",
  scopes: ["instagram_business_basic", "instagram_business_manage_comments"],
  since: "2026-03-04T10:00:00Z",
};

describe("ConnectedAppsPage", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("lists the apps with what they may do", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/me/apps": [200, { items: [viewfinder], next_cursor: null }],
    });
    renderPage(<ConnectedAppsPage />, { at: "/network/settings/apps" });
    const app = (await screen.findByRole("heading", { name: "Viewfinder" })).closest("li")!;
    expect(within(app as HTMLElement).getByText("Connected on Mar 4, 2026")).toBeInTheDocument();
    expect(
      within(app as HTMLElement).getByText("Read, reply to, hide and delete the comments on your posts"),
    ).toBeInTheDocument();
  });

  it("removes an app after confirming", async () => {
    let removed = false;
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/me/apps": () => [200, { items: removed ? [] : [viewfinder], next_cursor: null }],
      "DELETE /network/api/v1/me/apps/41": () => {
        removed = true;
        return [204, null];
      },
    });
    renderPage(<ConnectedAppsPage />, { at: "/network/settings/apps" });
    await userEvent.click(await screen.findByRole("button", { name: "Remove Viewfinder" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText("Remove Viewfinder?")).toBeInTheDocument();
    expect(calls.some((call) => call.method === "DELETE")).toBe(false);
    await userEvent.click(within(dialog).getByRole("button", { name: "Remove" }));
    expect(await screen.findByText("No connected apps")).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "DELETE").map((call) => call.path)).toEqual([
      "/network/api/v1/me/apps/41",
    ]);
  });
});
