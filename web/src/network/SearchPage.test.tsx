import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage } from "@/test/render";
import SearchPage from "./SearchPage";

describe("SearchPage", () => {
  it("searches usernames by their beginning once typing pauses, and links to the profiles", async () => {
    const calls = mockApi({
      "GET /network/api/v1/people": [
        200,
        {
          items: [
            {
              id: "1",
              username: "grace",
              name: "Grace Hopper",
              avatar_url: null,
              account_type: "personal",
              is_private: false,
            },
          ],
          next_cursor: null,
        },
      ],
    });
    renderPage(<SearchPage />, { at: "/network/search" });
    await userEvent.type(screen.getByLabelText("Search people"), "@Gra");
    expect(await screen.findByRole("link", { name: /grace/ })).toHaveAttribute("href", "/network/grace");
    const searches = calls.filter((call) => call.path.startsWith("/network/api/v1/people"));
    expect(searches.map((call) => call.path)).toEqual(["/network/api/v1/people?prefix=Gra"]);
  });

  it("says when nobody matches", async () => {
    mockApi({ "GET /network/api/v1/people": [200, { items: [], next_cursor: null }] });
    renderPage(<SearchPage />, { at: "/network/search?q=zz" });
    expect(await screen.findByText("Nobody's username starts with “zz”.")).toBeInTheDocument();
  });
});
