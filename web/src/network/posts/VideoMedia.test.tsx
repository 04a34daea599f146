import { act, fireEvent, screen, within } from "@testing-library/react";
import { mockApi, renderPage } from "@/test/render";
import type { FeedItem } from "../feed/queries";
import NetworkHomePage from "../NetworkHomePage";
import { me, signInToNetwork, signOutOfNetwork } from "../testData";
import { post } from "./testData";

function reel(): FeedItem {
  const base = post({ id: "800", kind: "reel", caption: "Waves", caption_entities: [] });
  return {
    ...base,
    media: [
      {
        ...base.media[0]!,
        url: "/m/poster.jpg",
        alt_text: "Waves on the pier",
        media_type: "video",
        video_url: "/v/800.mp4",
        duration_ms: 12000,
      },
    ],
    first_comments: [],
  };
}

/** An IntersectionObserver whose sightings the test decides. */
class FakeObserver {
  static all: FakeObserver[] = [];
  watched: Element[] = [];
  constructor(readonly callback: IntersectionObserverCallback) {
    FakeObserver.all.push(this);
  }
  observe(element: Element) {
    this.watched.push(element);
  }
  disconnect() {}
  see(ratio: number) {
    const entry = { isIntersecting: ratio > 0, intersectionRatio: ratio } as IntersectionObserverEntry;
    this.callback([entry], this as unknown as IntersectionObserver);
  }
}

describe("VideoMedia in a feed card", () => {
  const play = vi.fn(() => Promise.resolve());
  const pause = vi.fn();

  beforeEach(() => {
    signInToNetwork();
    play.mockClear();
    pause.mockClear();
    window.HTMLMediaElement.prototype.play = play;
    window.HTMLMediaElement.prototype.pause = pause;
    FakeObserver.all = [];
    vi.stubGlobal("IntersectionObserver", FakeObserver);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    signOutOfNetwork();
  });

  it("shows a reel as a muted looping video with its poster, playing while on screen, sound on a tap", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/feed": [200, { items: [reel()], next_cursor: null }],
    });
    renderPage(<NetworkHomePage />, { at: "/network" });
    const card = await screen.findByRole("article", { name: "Post by grace" });
    const video = card.querySelector("video")!;
    expect(video).toHaveAttribute("src", "/v/800.mp4");
    expect(video).toHaveAttribute("poster", "/m/poster.jpg");
    expect(video).toHaveAttribute("loop");
    expect(video).toHaveAttribute("playsinline");
    expect(video).toHaveAttribute("aria-label", "Waves on the pier");
    expect(video.muted).toBe(true);
    expect(video).not.toHaveAttribute("controls");
    expect(within(card).getByText("Reel")).toBeInTheDocument();

    const observer = FakeObserver.all.find((each) => each.watched.includes(video))!;
    expect(play).not.toHaveBeenCalled();
    act(() => observer.see(0.8));
    expect(play).toHaveBeenCalledTimes(1);
    act(() => observer.see(0.2));
    expect(pause).toHaveBeenCalledTimes(1);

    fireEvent.click(within(card).getByRole("button", { name: "Turn sound on" }));
    expect(video.muted).toBe(false);
    // A tap on the video itself turns it off again.
    fireEvent.click(video);
    expect(video.muted).toBe(true);
    expect(within(card).getByRole("button", { name: "Turn sound on" })).toBeInTheDocument();
  });

  it("keeps images as images, without the reel label", async () => {
    mockApi({
      "GET /network/api/v1/auth/me": [200, me],
      "GET /network/api/v1/feed": [200, { items: [{ ...post(), first_comments: [] }], next_cursor: null }],
    });
    renderPage(<NetworkHomePage />, { at: "/network" });
    const card = await screen.findByRole("article", { name: "Post by grace" });
    expect(within(card).getByRole("img", { name: "A harbour" })).toBeInTheDocument();
    expect(card.querySelector("video")).toBeNull();
    expect(within(card).queryByText("Reel")).not.toBeInTheDocument();
  });
});
