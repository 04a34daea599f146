/**
 * A post's images: one, or a carousel with previous/next buttons and dots (each image keeps its alt text). A
 * video (a reel's) plays in place of its poster; `reel` labels it as one.
 */
import { ChevronLeft, ChevronRight } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { cn } from "@/lib/cn";
import type { PostMedia } from "./queries";
import { VideoMedia } from "./VideoMedia";

export function MediaCarousel({ media, reel = false }: { media: PostMedia[]; reel?: boolean }) {
  const { t } = useTranslation("network");
  const [index, setIndex] = useState(0);
  const items = [...media].sort((a, b) => a.position - b.position);
  const current = items[Math.min(index, items.length - 1)];
  if (!current) return null;
  const many = items.length > 1;
  const arrow =
    "absolute top-1/2 -translate-y-1/2 rounded-full bg-white/90 p-1 text-zinc-900 shadow disabled:hidden dark:bg-zinc-900/90 dark:text-zinc-100";

  return (
    <section
      aria-roledescription={many ? t("post.carousel") : undefined}
      aria-label={many ? t("post.imageOf", { index: index + 1, count: items.length }) : undefined}
      className="relative bg-zinc-100 dark:bg-zinc-900"
    >
      {current.media_type === "video" ? (
        <VideoMedia key={current.id} media={current} reel={reel} />
      ) : (
        <img
          src={current.url}
          alt={current.alt_text}
          width={current.width}
          height={current.height}
          className="mx-auto max-h-[80vh] w-full object-contain"
        />
      )}
      {many && (
        <>
          <button
            type="button"
            className={cn(arrow, "left-2")}
            aria-label={t("post.previous")}
            disabled={index === 0}
            onClick={() => setIndex(index - 1)}
          >
            <ChevronLeft aria-hidden className="h-5 w-5" />
          </button>
          <button
            type="button"
            className={cn(arrow, "right-2")}
            aria-label={t("post.next")}
            disabled={index === items.length - 1}
            onClick={() => setIndex(index + 1)}
          >
            <ChevronRight aria-hidden className="h-5 w-5" />
          </button>
          <div className="absolute inset-x-0 bottom-2 flex justify-center gap-1.5">
            {items.map((item, position) => (
              <button
                key={item.id}
                type="button"
                aria-label={t("post.goTo", { index: position + 1 })}
                aria-current={position === index || undefined}
                onClick={() => setIndex(position)}
                className={cn(
                  "h-2 w-2 rounded-full",
                  position === index ? "bg-brand-600" : "bg-white/70 dark:bg-zinc-500",
                )}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
