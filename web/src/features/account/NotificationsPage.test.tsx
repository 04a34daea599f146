import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";
import { mockApi, renderPage } from "@/test/render";
import NotificationsPage from "./NotificationsPage";

const EVENTS = {
  invitation_accepted: true,
  approval_requested: true,
  post_failed: true,
  post_published: false,
  channel_needs_reconnect: true,
  weekly_report: false,
};

// Radix's Switch measures itself with ResizeObserver, which jsdom lacks.
beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

describe("NotificationsPage", () => {
  it("shows a described switch per event and saves the choices", async () => {
    const user = userEvent.setup();
    const calls = mockApi({
      "GET /api/v1/auth/notifications": [200, { events: EVENTS }],
      "PUT /api/v1/auth/notifications": [200, { events: { ...EVENTS, weekly_report: true, post_failed: false } }],
    });
    renderPage(<NotificationsPage />);
    const weekly = await screen.findByRole("switch", { name: "Weekly report" });
    expect(screen.getAllByRole("switch")).toHaveLength(6);
    expect(weekly).toHaveAttribute("aria-checked", "false");
    expect(weekly).toHaveAccessibleDescription("A summary of how your workspaces did, once a week.");

    await user.click(weekly);
    await user.click(screen.getByRole("switch", { name: "Post failed" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls.some((call) => call.method === "PUT")).toBe(true));
    expect(calls.find((call) => call.method === "PUT")?.body).toEqual({
      events: { ...EVENTS, weekly_report: true, post_failed: false },
    });
    expect(weekly).toHaveAttribute("aria-checked", "true");
  });

  it("offers to try again when loading fails", async () => {
    mockApi({
      "GET /api/v1/auth/notifications": [
        500,
        { type: "internal", title: "Internal error", status: 500, request_id: "abc" },
      ],
    });
    renderPage(<NotificationsPage />);
    expect(await screen.findByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
