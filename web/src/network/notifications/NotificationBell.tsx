/** The top bar's bell: a link to the notifications, with the unread count (asked again every minute). */
import { Bell } from "lucide-react";
import { useTranslation } from "react-i18next";
import { CountedLink } from "../components/CountedLink";
import { useUnreadCount } from "./queries";

export function NotificationBell({ signedIn, className }: { signedIn: boolean; className?: string }) {
  const { t } = useTranslation("network");
  const unread = useUnreadCount(signedIn);
  if (!signedIn) return null;
  const count = unread.data ?? 0;
  const label = t("notifications.bell", { count });
  return <CountedLink to="/network/notifications" label={label} count={count} icon={Bell} className={className} />;
}
