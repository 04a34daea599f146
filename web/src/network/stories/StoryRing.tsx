/** The ring around a person's picture while they have stories: coloured until the viewer has seen them all. */
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

export function StoryRing({ seen, children }: { seen: boolean; children: ReactNode }) {
  return (
    <span
      data-ring={seen ? "seen" : "unseen"}
      className={cn(
        "inline-flex shrink-0 rounded-full p-[2px]",
        seen ? "bg-zinc-300 dark:bg-zinc-700" : "bg-linear-to-tr from-amber-400 via-rose-500 to-fuchsia-600",
      )}
    >
      <span className="inline-flex rounded-full bg-white p-[2px] dark:bg-zinc-950">{children}</span>
    </span>
  );
}
