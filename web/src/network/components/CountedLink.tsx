/** A top-bar icon link with a red count of what waits there (unread notifications, unread conversations). */
import type { LucideIcon } from "lucide-react";
import { NavLink } from "react-router";
import { cn } from "@/lib/cn";

export function CountedLink({
  to,
  label,
  count,
  icon: Icon,
  className,
}: {
  to: string;
  label: string;
  count: number;
  icon: LucideIcon;
  className?: string | undefined;
}) {
  return (
    <NavLink
      to={to}
      aria-label={label}
      className={({ isActive }) =>
        cn(
          "relative inline-flex items-center rounded-md p-1",
          isActive
            ? "text-zinc-900 dark:text-white"
            : "text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white",
          className,
        )
      }
    >
      <Icon aria-hidden className="h-5 w-5" />
      {count > 0 && (
        <span
          aria-hidden
          className="absolute -right-1 -top-1 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-semibold leading-4 text-white"
        >
          {count > 99 ? "99+" : count}
        </span>
      )}
    </NavLink>
  );
}
