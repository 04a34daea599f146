/** The heart: a toggle (aria-pressed) and the count the server answers. */
import { Heart } from "lucide-react";
import { useTranslation } from "react-i18next";
import { showError } from "@/api/errors";
import { cn } from "@/lib/cn";

export function LikeButton({
  liked,
  label,
  busy,
  onToggle,
  small = false,
}: {
  liked: boolean;
  label: string;
  busy: boolean;
  onToggle: (like: boolean) => Promise<unknown>;
  small?: boolean;
}) {
  return (
    <button
      type="button"
      aria-pressed={liked}
      aria-label={label}
      disabled={busy}
      onClick={() => onToggle(!liked).catch((error: unknown) => showError(error))}
      className={cn(
        "rounded-md p-1 hover:opacity-70 disabled:opacity-50",
        liked ? "text-red-600 dark:text-red-500" : "text-zinc-900 dark:text-zinc-100",
      )}
    >
      <Heart aria-hidden className={cn(small ? "h-3.5 w-3.5" : "h-6 w-6", liked && "fill-current")} />
    </button>
  );
}

export function LikeCount({ count }: { count: number }) {
  const { t } = useTranslation("network");
  return <p className="text-sm font-semibold">{t("post.likes", { count, formatted: count.toLocaleString() })}</p>;
}
