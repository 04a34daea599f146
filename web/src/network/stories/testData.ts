/** Stories and the stories tray for tests. */
import { author, meSummary } from "../posts/testData";
import type { PersonSummary } from "../api";
import type { Story, StoryTrayItem } from "./queries";

export function person(username: string, id: string): PersonSummary {
  return { ...author, id, username, name: username.charAt(0).toUpperCase() + username.slice(1) };
}

export function trayItem(who: PersonSummary, overrides: Partial<StoryTrayItem> = {}): StoryTrayItem {
  return { person: who, latest_at: "2026-11-22T06:00:00Z", seen: false, ...overrides };
}

export function story(id: string, overrides: Partial<Story> = {}): Story {
  return {
    id,
    person: author,
    media: {
      id: `m${id}`,
      position: 0,
      url: `/m/${id}.jpg`,
      thumbnail_url: `/t/${id}.jpg`,
      width: 1080,
      height: 1920,
      alt_text: `Story ${id}`,
      media_type: "image",
      video_url: null,
      duration_ms: null,
    },
    created_at: "2026-11-22T05:00:00Z",
    expires_at: "2026-11-23T05:00:00Z",
    seen: false,
    ...overrides,
  };
}

export function videoStory(id: string, overrides: Partial<Story> = {}): Story {
  const base = story(id, overrides);
  return {
    ...base,
    media: { ...base.media, media_type: "video", video_url: `/v/${id}.mp4`, duration_ms: 8000 },
  };
}

export { meSummary };
