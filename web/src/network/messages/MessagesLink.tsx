/** The top bar's paper plane: a link to the inbox, with the number of unread conversations (asked every 30 s). */
import { Send } from "lucide-react";
import { useTranslation } from "react-i18next";
import { CountedLink } from "../components/CountedLink";
import { useMessageUnreadCount } from "./queries";

export function MessagesLink({ signedIn, className }: { signedIn: boolean; className?: string }) {
  const { t } = useTranslation("network");
  const unread = useMessageUnreadCount(signedIn);
  if (!signedIn) return null;
  const count = unread.data ?? 0;
  const label = count > 0 ? t("messages.linkUnread", { count }) : t("messages.link");
  return <CountedLink to="/network/messages" label={label} count={count} icon={Send} className={className} />;
}
