/** The top bar's bell: a link to the notifications, with the unread count (asked again every minute). */
import { Bell } from "lucide-react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { cn } from "@/lib/cn";
import { useUnreadCount } from "./queries";

export function NotificationBell({ signedIn, className }: { signedIn: boolean; className?: string }) {
  const { t } = useTranslation("network");
  const unread = useUnreadCount(signedIn);
  if (!signedIn) return null;
  const count = unread.data ?? 0;
  return (
    <NavLink
      to="/network/notifications"
      aria-label={t("notifications.bell", { count })}
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
      <Bell aria-hidden className="h-5 w-5" />
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
