import { useTranslation } from "react-i18next";
import type { Role } from "@/app/session";
import { cn } from "@/lib/cn";

/** Every role, most powerful first (the server's order). */
export const ALL_ROLES: readonly Role[] = ["owner", "admin", "editor", "analyst", "viewer"];

const BADGE_COLORS: Record<Role, string> = {
  owner: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  admin: "bg-brand-100 text-brand-700 dark:bg-brand-700/30 dark:text-brand-100",
  editor: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  analyst: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  viewer: "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

export function RoleBadge({ role }: { role: Role }) {
  const { t } = useTranslation("workspace");
  return (
    <span className={cn("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium", BADGE_COLORS[role])}>
      {t(`common:roles.${role}`)}
    </span>
  );
}

/** A one-line description of each role, so people choose a role knowing what it allows. */
export function RoleGuide({ roles = ALL_ROLES, className }: { roles?: readonly Role[]; className?: string }) {
  const { t } = useTranslation("workspace");
  return (
    <dl className={cn("space-y-2 text-sm", className)}>
      {roles.map((role) => (
        <div key={role} className="flex flex-col gap-0.5 sm:flex-row sm:gap-2">
          <dt className="shrink-0 font-medium sm:w-20">{t(`common:roles.${role}`)}</dt>
          <dd className="text-zinc-600 dark:text-zinc-400">{t(`roleGuide.${role}`)}</dd>
        </div>
      ))}
    </dl>
  );
}
