/**
 * `/network/new`: share a post. Choose 1 to 10 images (previews, and an alt text for each), write a caption
 * (2,200 characters, 30 hashtags) and a place, and post; then the new post's page.
 */
import { ImagePlus } from "lucide-react";
import { useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
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
import {
  MAX_ALT_TEXT_LENGTH,
  MAX_CAPTION_LENGTH,
  MAX_FILES,
  MAX_HASHTAGS,
  MAX_LOCATION_LENGTH,
  MIN_FILES,
  useCreatePost,
} from "./posts/queries";

const PLACED_FIELDS = /^(files|caption|location|files\[\d+\]|alt_texts\[\d+\])$/;
const ACCEPT = "image/jpeg,image/png,image/webp";

/**
 * How many hashtags the caption has, for the live counter only: what counts in the end is the server's parse
 * (and its field error), so an approximation that errs rarely is enough here.
 */
export function countHashtags(caption: string): number {
  return caption.match(/(?:^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu)?.length ?? 0;
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
  const [files, setFiles] = useState<File[]>([]);
  const [altTexts, setAltTexts] = useState<string[]>([]);
  const [caption, setCaption] = useState("");
  const [location, setLocation] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const previews = usePreviews(files);

  const length = captionLength(caption);
  const hashtags = countHashtags(caption);
  const captionError =
    errors.caption ??
    (length > MAX_CAPTION_LENGTH
      ? t("compose.captionTooLong", { max: MAX_CAPTION_LENGTH })
      : hashtags > MAX_HASHTAGS
        ? t("compose.tooManyHashtags", { max: MAX_HASHTAGS })
        : undefined);

  const choose = (chosen: File[]) => {
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
      setErrors({ files: t("compose.noFiles") });
      return;
    }
    if (captionError) return;
    setErrors({});
    create.mutate(
      { files, altTexts, caption, location },
      {
        onSuccess: (post) => {
          toast.success(t("compose.shared"));
          navigate(`/network/p/${post.id}`);
        },
        onError: (error) => setErrors(placeErrors(error)),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-6">
      <PageHeader title={t("compose.title")} />
      <FormError message={errors.root} />
      <div className="space-y-2">
        <input
          id={inputId}
          type="file"
          accept={ACCEPT}
          multiple
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
          <span className="font-semibold">{t("compose.chooseImages")}</span>
        </label>
        <p id={`${inputId}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {errors.files ? (
            <span className="text-red-600 dark:text-red-400">{errors.files}</span>
          ) : (
            t("compose.filesHint", { max: MAX_FILES, count: files.length })
          )}
        </p>
      </div>
      {files.length > 0 && (
        <ol className="space-y-4" aria-label={t("compose.selected")}>
          {files.map((file, index) => (
            <li key={`${index}-${file.name}`} className="flex gap-3">
              <img
                src={previews[index]}
                alt={t("compose.preview", { index: index + 1 })}
                className={cn(
                  "h-20 w-20 shrink-0 rounded-md object-cover",
                  errors[`files[${index}]`] && "ring-2 ring-red-500",
                )}
              />
              <div className="min-w-0 flex-1 space-y-1">
                <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{file.name}</p>
                {errors[`files[${index}]`] && (
                  <p role="alert" className="text-xs text-red-600 dark:text-red-400">
                    {errors[`files[${index}]`]}
                  </p>
                )}
                <Field label={t("compose.altText", { index: index + 1 })} error={errors[`alt_texts[${index}]`]}>
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
      <Button type="submit" className="w-full justify-center" loading={create.isPending}>
        {t("compose.share")}
      </Button>
    </form>
  );
}

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
