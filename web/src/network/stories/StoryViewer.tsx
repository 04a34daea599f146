/**
 * The story player: one person's stories full screen, a progress bar for each, images for five seconds and videos
 * to their end, then the next story; tapping the right or left half (or the arrow keys) moves on or back, and a
 * pause button (or the space bar) holds the story still. Each story shown is marked seen. When the last one ends
 * the page moves on (to the next person in the tray).
 */
import { Pause, Play, Volume2, VolumeX, X } from "lucide-react";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Avatar } from "@/components/Avatar";
import { playQuietly } from "../posts/VideoMedia";
import { useTimeAgo } from "../timeAgo";
import { useMarkStorySeen, type Story } from "./queries";

/** How long an image stays before the next story. */
export const IMAGE_MS = 5000;
/** How often an image's progress bar moves. */
const TICK_MS = 100;

interface PlayerProps {
  username: string;
  stories: Story[];
  /** The viewer's own stories are not marked seen (the server would not record it anyway). */
  own: boolean;
  onEnd: () => void;
  onClose: () => void;
}

/** Whether the page is out of sight (another tab, a locked phone): stories wait meanwhile. */
function useDocumentHidden(): boolean {
  return useSyncExternalStore(
    (notify) => {
      document.addEventListener("visibilitychange", notify);
      return () => document.removeEventListener("visibilitychange", notify);
    },
    () => document.hidden,
  );
}

/** Where to start: the first story not seen yet, or the first of all when every one has been. */
function firstUnseen(stories: Story[]): number {
  return Math.max(
    0,
    stories.findIndex((story) => !story.seen),
  );
}

export function StoryPlayer({ username, stories, own, onEnd, onClose }: PlayerProps) {
  const { t } = useTranslation("stories");
  const timeAgo = useTimeAgo();
  const markSeen = useMarkStorySeen(username);
  const [index, setIndex] = useState(() => (own ? 0 : firstUnseen(stories)));
  const [progress, setProgress] = useState(0);
  // Counts the restarts of one story: its media is made anew, and its clock starts again.
  const [restarts, setRestarts] = useState(0);
  const [paused, setPaused] = useState(false);
  const [muted, setMuted] = useState(true);
  const hidden = useDocumentHidden();
  const marked = useRef(new Set<string>());
  const story = stories[Math.min(index, stories.length - 1)]!;
  const isVideo = story.media.media_type === "video";

  const goTo = (next: number) => {
    if (next === index) setRestarts(restarts + 1);
    setIndex(next);
    setProgress(0);
  };
  const next = () => (index < stories.length - 1 ? goTo(index + 1) : onEnd());
  // Back from the first story starts it again (as a second look at it).
  const previous = () => goTo(Math.max(0, index - 1));

  // The key handlers see this render's `next` and friends, without the listener being added again each time.
  const keys = useRef({ next, previous, onClose, togglePause: () => setPaused(!paused) });
  useEffect(() => {
    keys.current = { next, previous, onClose, togglePause: () => setPaused(!paused) };
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "ArrowRight") keys.current.next();
      else if (event.key === "ArrowLeft") keys.current.previous();
      else if (event.key === "Escape") keys.current.onClose();
      else if (event.key === " " && !(event.target instanceof HTMLButtonElement)) keys.current.togglePause();
      else return;
      event.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    if (own || story.seen || marked.current.has(story.id)) return;
    marked.current.add(story.id);
    markSeen.mutate(story.id);
  }, [own, story.id, story.seen, markSeen]);

  const sound = muted ? t("video.soundOn") : t("video.soundOff");
  const control = "rounded-full p-1.5 text-white hover:bg-white/20 focus-visible:ring-2 focus-visible:ring-white";
  return (
    <div className="relative flex h-full w-full flex-col bg-black">
      <StoryMedia
        key={`${story.id}:${restarts}`}
        story={story}
        paused={paused || hidden}
        muted={muted}
        onProgress={setProgress}
        onEnd={next}
      />
      <div className="absolute inset-x-0 top-0 z-20 space-y-2 bg-linear-to-b from-black/60 to-transparent p-3">
        <ol className="flex gap-1">
          {stories.map((item, position) => {
            const value = position < index ? 100 : position > index ? 0 : Math.round(progress * 100);
            return (
              <li key={item.id} className="h-0.5 flex-1 overflow-hidden rounded-full bg-white/35">
                <div
                  role="progressbar"
                  aria-label={t("viewer.progress", { index: position + 1, count: stories.length })}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={value}
                  className="h-full bg-white"
                  style={{ width: `${value}%` }}
                />
              </li>
            );
          })}
        </ol>
        <div className="flex items-center gap-2">
          <Link to={`/network/${username}`} className="flex min-w-0 items-center gap-2 rounded-md">
            <Avatar name={story.person.name} url={story.person.avatar_url} />
            <span className="truncate text-sm font-semibold">{username}</span>
          </Link>
          <time dateTime={story.created_at} className="shrink-0 text-xs text-white/75">
            {timeAgo(story.created_at)}
          </time>
          <span className="flex-1" />
          {isVideo && (
            <button type="button" aria-label={sound} title={sound} className={control} onClick={() => setMuted(!muted)}>
              {muted ? <VolumeX aria-hidden className="h-5 w-5" /> : <Volume2 aria-hidden className="h-5 w-5" />}
            </button>
          )}
          <button
            type="button"
            aria-label={t(paused ? "viewer.play" : "viewer.pause")}
            aria-pressed={paused}
            className={control}
            onClick={() => setPaused(!paused)}
          >
            {paused ? <Play aria-hidden className="h-5 w-5" /> : <Pause aria-hidden className="h-5 w-5" />}
          </button>
          <button type="button" aria-label={t("viewer.close")} className={control} onClick={onClose}>
            <X aria-hidden className="h-6 w-6" />
          </button>
        </div>
      </div>
      {/* The halves of the screen, below the header: a tap on the left goes back, on the right goes on. */}
      <button
        type="button"
        aria-label={t("viewer.previous")}
        className="absolute inset-y-0 left-0 z-10 w-1/2 focus-visible:bg-white/10 focus-visible:outline-none"
        onClick={previous}
      />
      <button
        type="button"
        aria-label={t("viewer.next")}
        className="absolute inset-y-0 right-0 z-10 w-1/2 focus-visible:bg-white/10 focus-visible:outline-none"
        onClick={next}
      />
    </div>
  );
}

interface MediaProps {
  story: Story;
  paused: boolean;
  muted: boolean;
  onProgress: (fraction: number) => void;
  onEnd: () => void;
}

/** One story's image or video; made anew for each story, so its clock starts at zero. */
function StoryMedia({ story, paused, muted, onProgress, onEnd }: MediaProps) {
  const { media } = story;
  const video = useRef<HTMLVideoElement>(null);
  // An image's clock starts once it is there (or has failed to come, then its alt text shows).
  const [ready, setReady] = useState(false);
  // A video that cannot play shows its poster for as long as an image instead.
  const [videoFailed, setVideoFailed] = useState(false);
  const elapsed = useRef(0);
  const isVideo = media.media_type === "video" && !videoFailed;
  // The parent's handlers change each render; the clock keeps running with the latest ones.
  const handlers = useRef({ onProgress, onEnd });
  useEffect(() => {
    handlers.current = { onProgress, onEnd };
  });

  useEffect(() => {
    if (isVideo || !ready || paused) return;
    const timer = setInterval(() => {
      elapsed.current = Math.min(IMAGE_MS, elapsed.current + TICK_MS);
      handlers.current.onProgress(elapsed.current / IMAGE_MS);
      if (elapsed.current >= IMAGE_MS) {
        clearInterval(timer);
        handlers.current.onEnd();
      }
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [isVideo, ready, paused]);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    if (paused) element.pause();
    else playQuietly(element);
  }, [paused]);

  useEffect(() => {
    if (video.current) video.current.muted = muted;
  }, [muted]);

  const fit = "absolute inset-0 h-full w-full object-contain";
  if (isVideo) {
    return (
      <video
        ref={video}
        src={media.video_url ?? undefined}
        poster={media.url}
        muted
        playsInline
        aria-label={media.alt_text || undefined}
        className={fit}
        onTimeUpdate={(event) => {
          const { currentTime, duration } = event.currentTarget;
          if (duration > 0) onProgress(currentTime / duration);
        }}
        onEnded={onEnd}
        onError={() => setVideoFailed(true)}
      />
    );
  }
  return (
    <img
      src={media.url}
      alt={media.alt_text}
      className={fit}
      onLoad={() => setReady(true)}
      onError={() => setReady(true)}
    />
  );
}
