import { useState } from "react";
import { cn } from "@/lib/cn";

/** Up to two letters: the first of the first and last words ("Ada Lovelace" → "AL"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const picked = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return picked.map((word) => (Array.from(word)[0] ?? "").toUpperCase()).join("") || "?";
}

const SIZES = { sm: "h-8 w-8 text-xs", md: "h-10 w-10 text-sm", lg: "h-16 w-16 text-lg" } as const;

/**
 * The person's picture, or their initials when there is none or it does not load. Decorative: the name is
 * always written beside it.
 */
export function Avatar({ name, url, size = "sm" }: { name: string; url?: string | null; size?: keyof typeof SIZES }) {
  // Remembers which address failed, so a new address is tried again.
  const [failed, setFailed] = useState<string | null>(null);
  const classes = cn("shrink-0 rounded-full", SIZES[size]);
  if (url && failed !== url) {
    return <img src={url} alt="" className={cn(classes, "object-cover")} onError={() => setFailed(url)} />;
  }
  return (
    <span
      aria-hidden
      className={cn(
        classes,
        "inline-flex items-center justify-center bg-brand-100 font-semibold text-brand-700 dark:bg-brand-700 dark:text-white",
      )}
    >
      {initials(name)}
    </span>
  );
}
