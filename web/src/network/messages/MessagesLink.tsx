/** The top bar's paper plane: a link to the inbox, with the number of unread conversations (asked every 30 s). */
import { Send } from "lucide-react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { cn } from "@/lib/cn";
import { useMessageUnreadCount } from "./queries";

export function MessagesLink({ signedIn, className }: { signedIn: boolean; className?: string }) {
  const { t } = useTranslation("network");
  const unread = useMessageUnreadCount(signedIn);
  if (!signedIn) return null;
  const count = unread.data ?? 0;
  return (
    <NavLink
      to="/network/messages"
      aria-label={count > 0 ? t("messages.linkUnread", { count }) : t("messages.link")}
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
      <Send aria-hidden className="h-5 w-5" />
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
