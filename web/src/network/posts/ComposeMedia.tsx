/** Parts of the compose page for reels and stories: the choice of what to share, and a reel's cover image. */
import { ImagePlus } from "lucide-react";
import { useEffect, useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { IMAGE_TYPES, POST_KINDS, type PostKind } from "./composeKinds";

const KIND_LABELS: Record<PostKind, string> = {
  feed: "stories:compose.post",
  reel: "stories:compose.reel",
  story: "stories:compose.story",
};

/** Post, Reel or Story, as radio buttons drawn as one segmented control. */
export function KindPicker({
  kind,
  onChange,
  error,
}: {
  kind: PostKind;
  onChange: (kind: PostKind) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation("stories");
  const name = useId();
  return (
    <fieldset className="space-y-1">
      <legend className="mb-1 text-sm font-medium text-zinc-800 dark:text-zinc-200">{t("compose.kind")}</legend>
      <div className="grid grid-cols-3 rounded-lg bg-zinc-100 p-1 dark:bg-zinc-900">
        {POST_KINDS.map((option) => (
          <label key={option} className="relative">
            <input
              type="radio"
              name={name}
              value={option}
              checked={kind === option}
              onChange={() => onChange(option)}
              className="peer sr-only"
            />
            <span className="block cursor-pointer rounded-md py-1.5 text-center text-sm font-medium text-zinc-600 peer-checked:bg-white peer-checked:text-zinc-900 peer-checked:shadow-sm peer-focus-visible:ring-2 peer-focus-visible:ring-brand-600 dark:text-zinc-400 dark:peer-checked:bg-zinc-800 dark:peer-checked:text-white">
              {t(KIND_LABELS[option])}
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** A reel's optional cover: an image chosen apart from the video, with its preview. */
export function PosterPicker({
  poster,
  onChange,
  error,
}: {
  poster: File | null;
  onChange: (poster: File | null, error?: string) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation("stories");
  const id = useId();
  const preview = useMemo(() => (poster ? URL.createObjectURL(poster) : null), [poster]);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const choose = (file: File | undefined) => {
    if (!file) return onChange(null);
    if (!IMAGE_TYPES.includes(file.type)) return onChange(null, t("compose.notPosterImage"));
    onChange(file);
  };

  return (
    <div className="flex items-center gap-3">
      {preview ? (
        <img src={preview} alt={t("compose.posterPreview")} className="h-20 w-20 shrink-0 rounded-md object-cover" />
      ) : (
        <span className="flex h-20 w-20 shrink-0 items-center justify-center rounded-md bg-zinc-100 dark:bg-zinc-900">
          <ImagePlus aria-hidden className="h-6 w-6 text-zinc-500" />
        </span>
      )}
      <div className="min-w-0 flex-1 space-y-1">
        <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
          {t("compose.poster")}
        </label>
        <input
          id={id}
          type="file"
          accept={IMAGE_TYPES.join(",")}
          aria-invalid={Boolean(error)}
          aria-describedby={`${id}-hint`}
          onChange={(event) => choose(event.target.files?.[0])}
          className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-zinc-100 file:px-3 file:py-1.5 file:text-sm file:font-medium dark:file:bg-zinc-800"
        />
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {error ? <span className="text-red-600 dark:text-red-400">{error}</span> : t("compose.posterHint")}
        </p>
      </div>
    </div>
  );
}
