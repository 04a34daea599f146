import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage } from "@/test/render";
import EditProfilePage from "./EditProfilePage";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

async function changeUsername(value: string) {
  const user = userEvent.setup();
  const field = await screen.findByLabelText("Username");
  await user.clear(field);
  await user.type(field, value);
  await user.click(screen.getByRole("button", { name: "Save" }));
  return field;
}

describe("EditProfilePage", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it.each([
    [".ada", "A username cannot start or end with a dot."],
    ["ada.", "A username cannot start or end with a dot."],
    ["ada..lace", "A username cannot have two dots in a row."],
    ["ada lace", "Use only letters, numbers, dots and underscores."],
    ["a".repeat(31), "Use at most 30 characters."],
  ])("refuses the username %s before asking the server", async (username, message) => {
    const calls = mockApi({ "GET /network/api/v1/auth/me": [200, me] });
    renderPage(<EditProfilePage />);
    const field = await changeUsername(username);
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(calls.some((call) => call.method === "PATCH")).toBe(false);
  });

  it("saves the profile, removing an emptied website", async () => {
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, { ...me, website: "https://ada.example/" }],
      "PATCH /network/api/v1/me": [200, { ...me, username: "ada_l" }],
    });
    renderPage(<EditProfilePage />);
    await userEvent.clear(await screen.findByLabelText("Website"));
    await changeUsername("ada_l");
    expect(await screen.findByRole("button", { name: "Save" })).toBeDisabled();
    expect(calls.find((call) => call.method === "PATCH")?.body).toEqual({
      name: "Ada Lovelace",
      username: "ada_l",
      bio: "",
      website: null,
      account_type: "personal",
      is_private: false,
    });
  });

  it("puts the server's username_taken error on the username field", async () => {
    const message = "The username grace is taken: choose another.";
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "PATCH /network/api/v1/me": [
        409,
        {
          type: "conflict",
          title: "Taken",
          status: 409,
          errors: [{ field: "username", code: "username_taken", message }],
        },
      ],
    });
    renderPage(<EditProfilePage />);
    const field = await changeUsername("grace");
    // Known codes are shown in the person's language, by the one error mapping.
    expect(await screen.findByText("This username is taken. Choose another.")).toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "true");
  });

  it("uploads a picture at once, and removes it", async () => {
    const url = "/network/api/v1/avatars/1/2.jpg";
    const calls = mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "PUT /network/api/v1/me/avatar": [200, { ...me, avatar_url: url }],
      "DELETE /network/api/v1/me/avatar": [200, { ...me, avatar_url: null }],
    });
    renderPage(<EditProfilePage />);
    const picture = new File(["png bytes"], "me.png", { type: "image/png" });
    await userEvent.upload(await screen.findByLabelText("Change picture"), picture);
    const remove = await screen.findByRole("button", { name: "Remove picture" });
    const sent = calls.find((call) => call.method === "PUT");
    expect(sent?.path).toBe("/network/api/v1/me/avatar");
    // The multipart body, parsed by fetch's own FormData (another realm than the page's).
    expect((sent?.body as FormData).get("file")).toMatchObject({ type: "image/png", size: picture.size });

    await userEvent.click(remove);
    await waitFor(() => expect(screen.queryByRole("button", { name: "Remove picture" })).not.toBeInTheDocument());
    expect(calls.map((call) => call.method)).toContain("DELETE");
  });

  it("counts the bio's characters", async () => {
    mockApi({ "GET /network/api/v1/auth/me": [200, me] });
    renderPage(<EditProfilePage />);
    await userEvent.type(await screen.findByLabelText("Bio"), "Hello");
    expect(screen.getByText("5/150")).toBeInTheDocument();
  });
});
