/**
 * `/network/new`: share a post. Choose 1 to 10 images (previews, and an alt text for each), write a caption
 * (2,200 characters, 30 hashtags), a place and people to tag, and post; then the new post's page. Or a reel (one MP4 video with a
 * preview, an optional cover image, a caption), then its page; or a story (one image or MP4 video, no caption,
 * `?kind=story` chooses it), then home, where the stories tray shows it.
 */
import { ImagePlus } from "lucide-react";
import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { toast } from "sonner";
import { errorMessage, fieldMessage } from "@/api/errors";
import { ApiError } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { PageHeader } from "@/components/ui/Card";
import { Field, FormError } from "@/components/ui/Field";
import { Input, Textarea } from "@/components/ui/Input";
import { cn } from "@/lib/cn";
import type { NetworkMe } from "./api";
import { RequireNetworkSession } from "./components/RequireNetworkSession";
import { KindPicker, PosterPicker } from "./posts/ComposeMedia";
import { ACCEPT, checkSingleFile, isVideo, parseKind, type PostKind } from "./posts/composeKinds";
import {
  MAX_ALT_TEXT_LENGTH,
  MAX_CAPTION_LENGTH,
  MAX_FILES,
  MAX_HASHTAGS,
  MAX_LOCATION_LENGTH,
  MIN_FILES,
  useCreatePost,
} from "./posts/queries";

const PLACED_FIELDS = /^(kind|files|poster|caption|location|user_tags|files\[\d+\]|alt_texts\[\d+\])$/;

/**
 * How many hashtags the caption has, for the live counter only: what counts in the end is the server's parse
 * (and its field error), so an approximation that errs rarely is enough here.
 */
export function countHashtags(caption: string): number {
  return caption.match(/(?:^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu)?.length ?? 0;
}

/** The usernames typed in the tag field: separated by spaces or commas, with or without "@", each once. */
export function usernamesIn(text: string): string[] {
  const names = text
    .split(/[\s,]+/)
    .map((name) => name.replace(/^@/, ""))
    .filter(Boolean);
  return [...new Set(names)];
}

export function captionLength(caption: string): number {
  return Array.from(caption).length;
}

export default function ComposePage() {
  return <RequireNetworkSession>{(me) => <ComposeForm me={me} />}</RequireNetworkSession>;
}

/** Object URLs for the chosen files' previews, revoked when the files change or the page goes. */
function usePreviews(files: File[]): string[] {
  const urls = useMemo(() => files.map((file) => URL.createObjectURL(file)), [files]);
  useEffect(() => () => urls.forEach((url) => URL.revokeObjectURL(url)), [urls]);
  return urls;
}

function ComposeForm({ me }: { me: NetworkMe }) {
  const { t } = useTranslation("network");
  const navigate = useNavigate();
  const create = useCreatePost(me.username);
  const inputId = useId();
  const [searchParams] = useSearchParams();
  const [kind, setKind] = useState<PostKind>(() => parseKind(searchParams.get("kind")));
  const [poster, setPoster] = useState<File | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [altTexts, setAltTexts] = useState<string[]>([]);
  const [caption, setCaption] = useState("");
  const [location, setLocation] = useState("");
  const [tagged, setTagged] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const previews = usePreviews(files);

  const length = captionLength(caption);
  const hashtags = countHashtags(caption);
  const story = kind === "story";
  // A reel's cover, or a video story's: without one the server takes a frame of the video.
  const takesPoster = kind === "reel" || (story && files.length === 1 && isVideo(files[0]!));
  const captionError = story
    ? undefined
    : (errors.caption ??
      (length > MAX_CAPTION_LENGTH
        ? t("compose.captionTooLong", { max: MAX_CAPTION_LENGTH })
        : hashtags > MAX_HASHTAGS
          ? t("compose.tooManyHashtags", { max: MAX_HASHTAGS })
          : undefined));

  const changeKind = (next: PostKind) => {
    setKind(next);
    setErrors({});
    setFiles([]);
    setAltTexts([]);
    setPoster(null);
  };

  const choose = (chosen: File[]) => {
    const refused = kind === "feed" ? undefined : checkSingleFile(kind, chosen, t);
    if (refused) {
      setErrors({ files: refused });
      return;
    }
    if (chosen.length > MAX_FILES) {
      setErrors({ files: t("compose.tooManyFiles", { max: MAX_FILES, count: chosen.length }) });
      return;
    }
    setErrors({});
    setFiles(chosen);
    setAltTexts(chosen.map(() => ""));
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (files.length < MIN_FILES) {
      setErrors({ files: t(NO_FILES[kind]) });
      return;
    }
    if (captionError || (takesPoster && errors.poster)) return;
    setErrors({});
    create.mutate(
      {
        kind,
        files,
        altTexts,
        // A story has no caption or place (the fields are hidden, but may have been typed in before switching).
        caption: story ? "" : caption,
        location: story ? "" : location,
        poster: takesPoster ? poster : null,
        tagged: story ? [] : usernamesIn(tagged),
      },
      {
        onSuccess: (post) => {
          toast.success(t(SHARED[kind]));
          navigate(story ? "/network" : `/network/p/${post.id}`);
        },
        onError: (error) => setErrors(placeErrors(error)),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-6">
      <PageHeader title={t(TITLES[kind])} />
      <FormError message={errors.root} />
      <KindPicker kind={kind} onChange={changeKind} error={errors.kind} />
      <div className="space-y-2">
        <input
          id={inputId}
          type="file"
          accept={ACCEPT[kind]}
          multiple={kind === "feed"}
          className="peer sr-only"
          aria-invalid={Boolean(errors.files)}
          aria-describedby={`${inputId}-hint`}
          onChange={(event) => choose(Array.from(event.target.files ?? []))}
        />
        <label
          htmlFor={inputId}
          className="flex cursor-pointer flex-col items-center gap-2 rounded-lg border-2 border-dashed border-zinc-300 px-4 py-8 text-center text-sm peer-focus-visible:ring-2 peer-focus-visible:ring-brand-600 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
        >
          <ImagePlus aria-hidden className="h-8 w-8 text-zinc-500" />
          <span className="font-semibold">{t(CHOOSE[kind])}</span>
        </label>
        <p id={`${inputId}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {errors.files ? (
            <span className="text-red-600 dark:text-red-400">{errors.files}</span>
          ) : kind === "feed" ? (
            t("compose.filesHint", { max: MAX_FILES, count: files.length })
          ) : (
            t(kind === "reel" ? "stories:compose.reelHint" : "stories:compose.storyHint")
          )}
        </p>
      </div>
      {files.length > 0 && (
        <ol className="space-y-4" aria-label={t("compose.selected")}>
          {files.map((file, index) => (
            <li key={`${index}-${file.name}`} className={cn("flex gap-3", isVideo(file) && "flex-col sm:flex-row")}>
              {isVideo(file) ? (
                <video
                  src={previews[index]}
                  aria-label={t("stories:compose.videoPreview")}
                  controls
                  muted
                  playsInline
                  preload="metadata"
                  className={cn(
                    "max-h-80 w-full shrink-0 rounded-md bg-black sm:w-48",
                    errors[`files[${index}]`] && "ring-2 ring-red-500",
                  )}
                />
              ) : (
                <img
                  src={previews[index]}
                  alt={t(story ? "stories:compose.storyPreview" : "compose.preview", { index: index + 1 })}
                  className={cn(
                    "h-20 w-20 shrink-0 rounded-md object-cover",
                    errors[`files[${index}]`] && "ring-2 ring-red-500",
                  )}
                />
              )}
              <div className="min-w-0 flex-1 space-y-1">
                <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{file.name}</p>
                {errors[`files[${index}]`] && (
                  <p role="alert" className="text-xs text-red-600 dark:text-red-400">
                    {errors[`files[${index}]`]}
                  </p>
                )}
                <Field
                  label={kind === "feed" ? t("compose.altText", { index: index + 1 }) : t("stories:compose.altText")}
                  error={errors[`alt_texts[${index}]`]}
                >
                  {(control) => (
                    <Input
                      {...control}
                      value={altTexts[index] ?? ""}
                      maxLength={MAX_ALT_TEXT_LENGTH}
                      placeholder={t("compose.altTextPlaceholder")}
                      onChange={(event) =>
                        setAltTexts(altTexts.map((text, at) => (at === index ? event.target.value : text)))
                      }
                    />
                  )}
                </Field>
              </div>
            </li>
          ))}
        </ol>
      )}
      {takesPoster && (
        <PosterPicker
          poster={poster}
          error={errors.poster}
          onChange={(chosen, error) => {
            setPoster(chosen);
            setErrors((current) => {
              const next = { ...current };
              delete next.poster;
              return error ? { ...next, poster: error } : next;
            });
          }}
        />
      )}
      {!story && (
        <>
          <Field
            label={t("compose.caption")}
            error={captionError}
            hint={`${t("compose.captionCount", { count: length, max: MAX_CAPTION_LENGTH })} · ${t("compose.hashtagCount", { count: hashtags, max: MAX_HASHTAGS })}`}
          >
            {(control) => (
              <Textarea {...control} rows={4} value={caption} onChange={(event) => setCaption(event.target.value)} />
            )}
          </Field>
          <p aria-live="polite" className="-mt-4 text-right text-xs text-zinc-500 dark:text-zinc-400">
            {length.toLocaleString()}/{MAX_CAPTION_LENGTH.toLocaleString()} · #{hashtags}/{MAX_HASHTAGS}
          </p>
          <Field label={t("compose.location")} error={errors.location}>
            {(control) => (
              <Input
                {...control}
                value={location}
                maxLength={MAX_LOCATION_LENGTH}
                onChange={(event) => setLocation(event.target.value)}
              />
            )}
          </Field>
          <Field label={t("post.tagPeople")} error={errors.user_tags} hint={t("post.tagPeopleHint")}>
            {(control) => (
              <Input
                {...control}
                value={tagged}
                autoCapitalize="none"
                autoComplete="off"
                spellCheck={false}
                placeholder="@"
                onChange={(event) => setTagged(event.target.value)}
              />
            )}
          </Field>
        </>
      )}
      <Button type="submit" className="w-full justify-center" loading={create.isPending}>
        {t(SHARE[kind])}
      </Button>
    </form>
  );
}

// The words that change with the kind (a reel's and a story's are in the "stories" namespace).
const TITLES: Record<PostKind, string> = {
  feed: "compose.title",
  reel: "stories:compose.titleReel",
  story: "stories:compose.titleStory",
};
const CHOOSE: Record<PostKind, string> = {
  feed: "compose.chooseImages",
  reel: "stories:compose.chooseVideo",
  story: "stories:compose.chooseStory",
};
const NO_FILES: Record<PostKind, string> = {
  feed: "compose.noFiles",
  reel: "stories:compose.noVideo",
  story: "stories:compose.noStoryFile",
};
const SHARED: Record<PostKind, string> = {
  feed: "compose.shared",
  reel: "stories:compose.sharedReel",
  story: "stories:compose.sharedStory",
};
const SHARE: Record<PostKind, string> = {
  feed: "compose.share",
  reel: "stories:compose.shareReel",
  story: "stories:compose.shareStory",
};

/** The server's field errors by field (`files[0]`, `alt_texts[1]`, `caption`…); the rest as the form's. */
function placeErrors(error: unknown): Record<string, string> {
  const placed: Record<string, string> = {};
  const fields = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  for (const field of fields) {
    // Fields the form shows by name; any other (say the alt texts' count) goes to the form's banner.
    const key = PLACED_FIELDS.test(field.field) ? field.field : "root";
    placed[key] ??= fieldMessage(field);
  }
  if (fields.length === 0) placed.root = errorMessage(error);
  return placed;
}
