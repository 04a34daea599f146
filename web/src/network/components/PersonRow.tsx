import { Lock } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Avatar } from "@/components/Avatar";
import type { PersonSummary } from "../api";
import { AccountTypeBadge } from "./AccountTypeBadge";

/** One person in a list: picture, username and name (a link to the profile), and an optional action. */
export function PersonRow({ person, action }: { person: PersonSummary; action?: ReactNode }) {
  const { t } = useTranslation("network");
  return (
    <li className="flex items-center gap-3 py-2">
      <Link
        to={`/network/${person.username}`}
        className="flex min-w-0 flex-1 items-center gap-3 rounded-md p-1 hover:bg-zinc-50 dark:hover:bg-zinc-900"
      >
        <Avatar name={person.name} url={person.avatar_url} size="md" />
        <span className="min-w-0">
          <span className="flex items-center gap-1.5 text-sm font-semibold text-zinc-900 dark:text-zinc-100">
            <span className="truncate">{person.username}</span>
            {person.is_private && (
              <Lock role="img" aria-label={t("profile.privateBadge")} className="h-3.5 w-3.5 shrink-0" />
            )}
            <AccountTypeBadge type={person.account_type} />
          </span>
          <span className="block truncate text-sm text-zinc-500 dark:text-zinc-400">{person.name}</span>
        </span>
      </Link>
      {action}
    </li>
  );
}

export function PeopleList({ children }: { children: ReactNode }) {
  return <ul className="divide-y divide-zinc-100 dark:divide-zinc-900">{children}</ul>;
}
