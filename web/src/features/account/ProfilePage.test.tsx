import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import i18n from "@/i18n";
import { usePreferences } from "@/lib/preferences";
import { mockApi, renderWithApp } from "@/test/render";
import { ME } from "@/features/shell/fixtures";
import ProfilePage from "./ProfilePage";

function renderProfile() {
  return renderWithApp(
    [
      { path: "/profile", element: <ProfilePage /> },
      { path: "/signin", element: <p>Sign-in page</p> },
    ],
    { at: "/profile" },
  );
}

afterEach(async () => {
  // Unmount first: a language change re-renders every page still on screen.
  cleanup();
  usePreferences.getState().setLanguage("en");
  await i18n.changeLanguage("en");
});

describe("ProfilePage", () => {
  it("saves the profile and switches the language", async () => {
    const user = userEvent.setup();
    const calls = mockApi({
      "GET /api/v1/auth/me": [200, ME],
      "PATCH /api/v1/auth/me": [200, { ...ME, name: "Ada King", locale: "it" }],
    });
    renderProfile();
    const name = await screen.findByLabelText("Name");
    expect(screen.getByText(ME.email)).toBeInTheDocument();
    expect(screen.getByText("Verified")).toBeInTheDocument();
    await user.clear(name);
    await user.type(name, "Ada King");
    await user.selectOptions(screen.getByLabelText("Language"), "it");
    await user.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(i18n.language).toBe("it"));
    expect(usePreferences.getState().language).toBe("it");
    expect(calls.find((call) => call.method === "PATCH")?.body).toEqual({
      name: "Ada King",
      avatar_url: null,
      timezone: "Europe/Rome",
      locale: "it",
    });
  });

  it("refuses an avatar address that is not a web address", async () => {
    const user = userEvent.setup();
    const calls = mockApi({ "GET /api/v1/auth/me": [200, ME] });
    renderProfile();
    await user.type(await screen.findByLabelText("Avatar URL"), "javascript:alert(1)");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Enter a web address that starts with https:// or http://.")).toBeInTheDocument();
    expect(calls.some((call) => call.method === "PATCH")).toBe(false);
  });

  it("deletes the account with the password", async () => {
    const user = userEvent.setup();
    const calls = mockApi({
      "GET /api/v1/auth/me": [200, ME],
      "DELETE /api/v1/auth/me": [
        422,
        {
          type: "invalid-input",
          title: "The password is wrong",
          status: 422,
          errors: [{ field: "password", message: "The password is wrong.", code: "wrong_password" }],
        },
      ],
    });
    renderProfile();
    await user.click(await screen.findByRole("button", { name: "Delete account" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete your account?" });
    await user.type(within(dialog).getByLabelText("Password"), "wrong");
    await user.click(within(dialog).getByRole("button", { name: "Delete my account" }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText("Password")).toHaveAccessibleDescription("The password is not right."),
    );
    expect(calls.find((call) => call.method === "DELETE")?.body).toEqual({ password: "wrong" });
  });

  it("goes to the sign-in page once the account is deleted", async () => {
    const user = userEvent.setup();
    mockApi({ "GET /api/v1/auth/me": [200, ME], "DELETE /api/v1/auth/me": [204, null] });
    const { router } = renderProfile();
    await user.click(await screen.findByRole("button", { name: "Delete account" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete your account?" });
    await user.type(within(dialog).getByLabelText("Password"), "correct horse battery");
    await user.click(within(dialog).getByRole("button", { name: "Delete my account" }));
    expect(await screen.findByText("Sign-in page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
  });
});
