import { useTranslation } from "react-i18next";
import type { AccountType } from "../api";

/** "Business" or "Creator" beside a name; personal accounts get none, as on Instagram. */
export function AccountTypeBadge({ type }: { type: AccountType }) {
  const { t } = useTranslation("network");
  if (type === "personal") return null;
  return (
    <span className="inline-flex items-center rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
      {t(`accountType.${type}`)}
    </span>
  );
}
