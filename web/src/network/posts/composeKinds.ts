/**
 * What the compose page may share: a post (1 to 10 images), a reel (one MP4 video, with an optional cover image) or
 * a story (one image or MP4 video). The checks here are a first answer while choosing; the server checks the
 * files by their content, and its field errors are what counts.
 */
import type { TFunction } from "i18next";
import type { Schemas } from "@/api/problem";

export type PostKind = Schemas["PostKind"];
export const POST_KINDS: PostKind[] = ["feed", "reel", "story"];

export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"];
export const VIDEO_TYPE = "video/mp4";
/** The server's limit for a video, in MB. */
export const MAX_VIDEO_MB = 100;
const MB = 1024 * 1024;

/** What the file picker offers for each kind. */
export const ACCEPT: Record<PostKind, string> = {
  feed: IMAGE_TYPES.join(","),
  reel: `${VIDEO_TYPE},.mp4`,
  story: [...IMAGE_TYPES, VIDEO_TYPE, ".mp4"].join(","),
};

/** `?kind=story` on the compose page's address (the stories tray's +); anything else is a post. */
export function parseKind(value: string | null): PostKind {
  return POST_KINDS.find((kind) => kind === value) ?? "feed";
}

export function isVideo(file: File): boolean {
  // Some systems give no type for a file: its name is the only hint then.
  return file.type === VIDEO_TYPE || (file.type === "" && /\.mp4$/i.test(file.name));
}

export function isImage(file: File): boolean {
  return IMAGE_TYPES.includes(file.type);
}

/** Why a reel's or a story's chosen files cannot be shared, or undefined when they may be. */
export function checkSingleFile(kind: Exclude<PostKind, "feed">, files: File[], t: TFunction): string | undefined {
  if (files.length > 1) {
    return t(kind === "reel" ? "stories:compose.reelOneFile" : "stories:compose.storyOneFile", { count: files.length });
  }
  const [file] = files;
  if (!file) return undefined;
  if (kind === "reel" && !isVideo(file)) return t("stories:compose.notMp4", { name: file.name });
  if (kind === "story" && !isVideo(file) && !isImage(file)) {
    return t("stories:compose.notStoryFile", { name: file.name });
  }
  if (isVideo(file) && file.size > MAX_VIDEO_MB * MB) {
    return t("stories:compose.tooLarge", { name: file.name, size: Math.ceil(file.size / MB), max: MAX_VIDEO_MB });
  }
  return undefined;
}
