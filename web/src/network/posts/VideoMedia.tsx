/**
 * A post's video (a reel): shown with its poster, muted and looping, playing only while most of it is on the
 * screen (as a feed scrolls past), and a tap (or the sound button, for keyboards) turns its sound on and off.
 */
import { Clapperboard, Volume2, VolumeX } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PostMedia } from "./queries";

/** How much of the video must be on the screen for it to play: more than half, so two never play at once. */
const VISIBLE_TO_PLAY = 0.6;

/** Starts a video, ignoring a refusal: a browser may block playing until the page is touched, and the poster stays. */
export function playQuietly(video: HTMLVideoElement) {
  void Promise.resolve(video.play()).catch(() => undefined);
}

export function VideoMedia({ media, reel = false }: { media: PostMedia; reel?: boolean }) {
  const { t } = useTranslation("stories");
  const video = useRef<HTMLVideoElement>(null);
  const [muted, setMuted] = useState(true);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    if (typeof IntersectionObserver === "undefined") {
      playQuietly(element);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        const entry = entries[entries.length - 1];
        if (entry?.isIntersecting && entry.intersectionRatio >= VISIBLE_TO_PLAY) playQuietly(element);
        else element.pause();
      },
      { threshold: [0, VISIBLE_TO_PLAY] },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // React sets `muted` only when the element is made; later changes go through the property.
  useEffect(() => {
    if (video.current) video.current.muted = muted;
  }, [muted]);

  const sound = muted ? t("video.soundOn") : t("video.soundOff");
  return (
    <div className="relative bg-black">
      <video
        ref={video}
        src={media.video_url ?? undefined}
        poster={media.url}
        width={media.width}
        height={media.height}
        muted
        loop
        playsInline
        preload="metadata"
        aria-label={media.alt_text || undefined}
        onClick={() => setMuted(!muted)}
        className="mx-auto max-h-[80vh] w-full cursor-pointer object-contain"
      />
      {reel && (
        <span className="absolute left-2 top-2 flex items-center gap-1 rounded-md bg-black/60 px-2 py-0.5 text-xs font-semibold text-white">
          <Clapperboard aria-hidden className="h-3.5 w-3.5" />
          {t("video.reel")}
        </span>
      )}
      <button
        type="button"
        aria-label={sound}
        title={sound}
        onClick={() => setMuted(!muted)}
        className="absolute bottom-2 right-2 rounded-full bg-black/60 p-1.5 text-white focus-visible:ring-2 focus-visible:ring-white"
      >
        {muted ? <VolumeX aria-hidden className="h-4 w-4" /> : <Volume2 aria-hidden className="h-4 w-4" />}
      </button>
    </div>
  );
}
