import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { mockApi, renderWithApp } from "@/test/render";
import { IMAGE_MS } from "./stories/StoryViewer";
import { meSummary, person, story, trayItem, videoStory } from "./stories/testData";
import StoryViewerPage from "./StoryViewerPage";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const grace = person("grace", "200");
const linus = person("linus", "300");
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();

function show(answers: Parameters<typeof mockApi>[0], { from = "/network" }: { from?: string | null } = {}) {
  const calls = mockApi({ "GET /network/api/v1/auth/me": [200, me], ...answers });
  const app = renderWithApp(
    [
      { path: "/network", element: <p>Home page</p> },
      { path: "/network/:username", element: <p>Profile page</p> },
      { path: "/network/stories/:username", element: <StoryViewerPage /> },
    ],
    { at: from ?? "/network" },
  );
  return { calls, ...app };
}

/** Opens the viewer as the tray does: a new entry whose state says where to go back to. */
async function open(router: ReturnType<typeof show>["router"], username: string, from: string | null = "/network") {
  await act(() => router.navigate(`/network/stories/${username}`, from ? { state: { from } } : {}));
}

const seenCalls = (calls: ReturnType<typeof mockApi>) =>
  calls.filter((call) => call.method === "POST").map((call) => call.path);

const bars = () => screen.getAllByRole("progressbar").map((bar) => Number(bar.getAttribute("aria-valuenow")));

describe("StoryViewerPage", () => {
  beforeEach(() => {
    signInToNetwork();
    window.HTMLMediaElement.prototype.play = vi.fn(() => Promise.resolve());
    window.HTMLMediaElement.prototype.pause = vi.fn();
  });
  afterEach(() => {
    vi.useRealTimers();
    signOutOfNetwork();
  });

  it("starts at the first unseen story, advances images after five seconds, marks each seen, then the next person", async () => {
    const { calls, router } = show({
      "GET /network/api/v1/stories": [200, { items: [trayItem(grace), trayItem(linus)] }],
      "GET /network/api/v1/people/grace/stories": [
        200,
        {
          items: [
            story("1", { seen: true }),
            story("2", { created_at: hoursAgo(3) }),
            story("3", { created_at: hoursAgo(1) }),
          ],
        },
      ],
      "GET /network/api/v1/people/linus/stories": [200, { items: [story("9", { person: linus })] }],
      "POST /network/api/v1/stories/2/seen": [204, null],
      "POST /network/api/v1/stories/3/seen": [204, null],
      "POST /network/api/v1/stories/9/seen": [204, null],
    });
    await open(router, "grace");
    const dialog = await screen.findByRole("dialog", { name: "Stories by grace" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    const second = await within(dialog).findByRole("img", { name: "Story 2" });
    expect(within(dialog).getByText("3 hours ago")).toBeInTheDocument();
    expect(bars()).toEqual([100, 0, 0]);
    expect(screen.getAllByRole("progressbar").map((bar) => bar.getAttribute("aria-label"))).toEqual([
      "Story 1 of 3",
      "Story 2 of 3",
      "Story 3 of 3",
    ]);
    await waitFor(() => expect(seenCalls(calls)).toEqual(["/network/api/v1/stories/2/seen"]));

    vi.useFakeTimers();
    // The clock starts once the image is there.
    act(() => vi.advanceTimersByTime(IMAGE_MS));
    expect(bars()).toEqual([100, 0, 0]);
    fireEvent.load(second);
    act(() => vi.advanceTimersByTime(IMAGE_MS / 2));
    expect(bars()).toEqual([100, 50, 0]);
    act(() => vi.advanceTimersByTime(IMAGE_MS / 2));
    const third = screen.getByRole("img", { name: "Story 3" });
    expect(screen.getByText("1 hour ago")).toBeInTheDocument();
    expect(bars()).toEqual([100, 100, 0]);
    vi.useRealTimers();
    await waitFor(() =>
      expect(seenCalls(calls)).toEqual(["/network/api/v1/stories/2/seen", "/network/api/v1/stories/3/seen"]),
    );

    vi.useFakeTimers();
    fireEvent.load(third);
    act(() => vi.advanceTimersByTime(IMAGE_MS));
    vi.useRealTimers();
    expect(await screen.findByRole("dialog", { name: "Stories by linus" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/network/stories/linus");
    expect(await screen.findByRole("img", { name: "Story 9" })).toBeInTheDocument();
    await waitFor(() => expect(seenCalls(calls)).toContain("/network/api/v1/stories/9/seen"));

    // Linus's stories replaced Grace's: closing goes back to the page the viewer was opened from.
    fireEvent.keyDown(document, { key: "Escape" });
    expect(await screen.findByText("Home page")).toBeInTheDocument();
  });

  it("goes on and back with the halves of the screen and the arrow keys, and closes with its button", async () => {
    const { calls, router } = show({
      "GET /network/api/v1/stories": [200, { items: [trayItem(grace)] }],
      "GET /network/api/v1/people/grace/stories": [
        200,
        { items: [story("1", { seen: true }), story("2", { seen: true }), story("3", { seen: true })] },
      ],
    });
    await open(router, "grace");
    // Everything seen: from the start, and nothing is sent again.
    expect(await screen.findByRole("img", { name: "Story 1" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Next story" }));
    expect(screen.getByRole("img", { name: "Story 2" })).toBeInTheDocument();
    expect(bars()).toEqual([100, 0, 0]);
    fireEvent.keyDown(document, { key: "ArrowRight" });
    expect(screen.getByRole("img", { name: "Story 3" })).toBeInTheDocument();
    fireEvent.keyDown(document, { key: "ArrowLeft" });
    expect(screen.getByRole("img", { name: "Story 2" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Previous story" }));
    fireEvent.click(screen.getByRole("button", { name: "Previous story" }));
    expect(screen.getByRole("img", { name: "Story 1" })).toBeInTheDocument();
    expect(bars()).toEqual([0, 0, 0]);
    expect(seenCalls(calls)).toEqual([]);

    fireEvent.click(screen.getByRole("button", { name: "Close stories" }));
    expect(await screen.findByText("Home page")).toBeInTheDocument();
  });

  it("plays a video to its end with its sound off until asked, and closes after the last person", async () => {
    const { router } = show({
      "GET /network/api/v1/stories": [200, { items: [trayItem(grace)] }],
      "GET /network/api/v1/people/grace/stories": [200, { items: [videoStory("5", { seen: true })] }],
    });
    await open(router, "grace");
    const dialog = await screen.findByRole("dialog", { name: "Stories by grace" });
    const video = await waitFor(() => {
      const found = dialog.querySelector("video");
      expect(found).not.toBeNull();
      return found!;
    });
    expect(video).toHaveAttribute("src", "/v/5.mp4");
    expect(video).toHaveAttribute("poster", "/m/5.jpg");
    expect(video).toHaveAttribute("playsinline");
    expect(video.muted).toBe(true);
    expect(window.HTMLMediaElement.prototype.play).toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Turn sound on" }));
    expect(video.muted).toBe(false);
    expect(screen.getByRole("button", { name: "Turn sound off" })).toBeInTheDocument();

    Object.defineProperty(video, "duration", { value: 8, configurable: true });
    video.currentTime = 2;
    fireEvent.timeUpdate(video);
    expect(bars()).toEqual([25]);

    fireEvent.click(screen.getByRole("button", { name: "Pause" }));
    expect(window.HTMLMediaElement.prototype.pause).toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Play" })).toHaveAttribute("aria-pressed", "true");

    // Grace is the tray's last person: the viewer closes.
    fireEvent.ended(video);
    expect(await screen.findByText("Home page")).toBeInTheDocument();
  });

  it("shows a video's poster for five seconds when it cannot play, and waits while the page is hidden", async () => {
    const { router } = show({
      "GET /network/api/v1/stories": [200, { items: [trayItem(grace)] }],
      "GET /network/api/v1/people/grace/stories": [
        200,
        { items: [videoStory("5", { seen: true }), story("6", { seen: true })] },
      ],
    });
    await open(router, "grace");
    const dialog = await screen.findByRole("dialog", { name: "Stories by grace" });
    await waitFor(() => expect(dialog.querySelector("video")).not.toBeNull());
    fireEvent.error(dialog.querySelector("video")!);
    const poster = screen.getByRole("img", { name: "Story 5" });
    expect(poster).toHaveAttribute("src", "/m/5.jpg");

    vi.useFakeTimers();
    fireEvent.load(poster);
    try {
      Object.defineProperty(document, "hidden", { value: true, configurable: true });
      act(() => void document.dispatchEvent(new Event("visibilitychange")));
      act(() => vi.advanceTimersByTime(IMAGE_MS * 2));
      expect(bars()).toEqual([0, 0]);
    } finally {
      Reflect.deleteProperty(document, "hidden");
    }
    act(() => void document.dispatchEvent(new Event("visibilitychange")));
    act(() => vi.advanceTimersByTime(IMAGE_MS));
    expect(screen.getByRole("img", { name: "Story 6" })).toBeInTheDocument();
    expect(bars()).toEqual([100, 0]);
  });

  it("starts the first story again when asked to go back from it", async () => {
    const { router } = show({
      "GET /network/api/v1/stories": [200, { items: [] }],
      "GET /network/api/v1/people/grace/stories": [
        200,
        { items: [story("1", { seen: true }), story("2", { seen: true })] },
      ],
    });
    await open(router, "grace");
    const image = await screen.findByRole("img", { name: "Story 1" });
    vi.useFakeTimers();
    fireEvent.load(image);
    act(() => vi.advanceTimersByTime(IMAGE_MS * 0.6));
    expect(bars()).toEqual([60, 0]);
    fireEvent.keyDown(document, { key: "ArrowLeft" });
    expect(bars()).toEqual([0, 0]);
    fireEvent.load(screen.getByRole("img", { name: "Story 1" }));
    act(() => vi.advanceTimersByTime(IMAGE_MS * 0.6));
    expect(bars()).toEqual([60, 0]);
    expect(screen.getByRole("img", { name: "Story 1" })).toBeInTheDocument();
  });

  it("keeps Tab within the viewer", async () => {
    const { router } = show({
      "GET /network/api/v1/stories": [200, { items: [trayItem(grace)] }],
      "GET /network/api/v1/people/grace/stories": [200, { items: [story("1", { seen: true })] }],
    });
    await open(router, "grace");
    await screen.findByRole("img", { name: "Story 1" });
    const first = screen.getByRole("link", { name: /grace/ });
    const last = screen.getByRole("button", { name: "Next story" });
    last.focus();
    fireEvent.keyDown(last, { key: "Tab" });
    expect(first).toHaveFocus();
    fireEvent.keyDown(first, { key: "Tab", shiftKey: true });
    expect(last).toHaveFocus();
  });

  it("holds an image still while paused", async () => {
    const { router } = show({
      "GET /network/api/v1/stories": [200, { items: [] }],
      "GET /network/api/v1/people/grace/stories": [200, { items: [story("1", { seen: true }), story("2")] }],
      "POST /network/api/v1/stories/2/seen": [204, null],
    });
    await open(router, "grace");
    // Opened from the profile: not in the tray, so the end closes the viewer.
    const image = await screen.findByRole("img", { name: "Story 2" });
    vi.useFakeTimers();
    fireEvent.load(image);
    act(() => vi.advanceTimersByTime(1000));
    fireEvent.keyDown(document, { key: " " });
    act(() => vi.advanceTimersByTime(IMAGE_MS * 2));
    expect(bars()).toEqual([100, 20]);
    fireEvent.click(screen.getByRole("button", { name: "Play" }));
    act(() => vi.advanceTimersByTime(IMAGE_MS));
    vi.useRealTimers();
    expect(await screen.findByText("Home page")).toBeInTheDocument();
  });

  it("does not mark your own stories seen, and closes to your profile when opened by its address", async () => {
    const { calls, router } = show({
      "GET /network/api/v1/stories": [200, { items: [trayItem(meSummary)] }],
      "GET /network/api/v1/people/ada/stories": [200, { items: [story("7", { person: meSummary })] }],
    });
    await open(router, "ada", null);
    expect(await screen.findByRole("img", { name: "Story 7" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Close stories" }));
    expect(await screen.findByText("Profile page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/network/ada");
    expect(seenCalls(calls)).toEqual([]);
  });

  it("says so when the person has no stories to show", async () => {
    const { router } = show({
      "GET /network/api/v1/stories": [200, { items: [] }],
      "GET /network/api/v1/people/grace/stories": [404, { type: "not-found", title: "Not found", status: 404 }],
    });
    await open(router, "grace");
    expect(await screen.findByText("grace has no stories right now.")).toBeInTheDocument();
    fireEvent.keyDown(document, { key: "Escape" });
    expect(await screen.findByText("Home page")).toBeInTheDocument();
  });
});
