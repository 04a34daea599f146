import { Bell, Building2, Home, KeyRound, ScrollText, User, Users, type LucideIcon } from "lucide-react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { can, useMe, type Workspace } from "@/app/session";
import { LanguageSwitch, ThemeSwitch } from "@/components/PreferenceSwitches";
import { Skeleton } from "@/components/ui/States";
import { cn } from "@/lib/cn";
import { UserMenu } from "./UserMenu";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";

interface NavEntry {
  to: string;
  label: string;
  icon: LucideIcon;
  end?: boolean;
}

/** The links of the frame: only areas that exist, and only those the caller's role may open. */
function useNavEntries(workspaceId: string, workspace: Workspace | undefined) {
  const { t } = useTranslation("shell");
  const base = `/w/${workspaceId}`;
  const home: NavEntry = { to: base, label: t("nav.home"), icon: Home, end: true };
  const settings: NavEntry[] = [
    { to: `${base}/settings/profile`, label: t("nav.profile"), icon: User },
    { to: `${base}/settings/security`, label: t("nav.security"), icon: KeyRound },
    { to: `${base}/settings/notifications`, label: t("nav.notifications"), icon: Bell },
  ];
  if (can(workspace, "workspace:read"))
    settings.push({ to: `${base}/settings/workspace`, label: t("nav.workspace"), icon: Building2 });
  if (can(workspace, "members:read")) settings.push({ to: `${base}/settings/team`, label: t("nav.team"), icon: Users });
  if (can(workspace, "audit:read"))
    settings.push({ to: `${base}/settings/audit`, label: t("nav.audit"), icon: ScrollText });
  return { home, settings };
}

function NavItem({ entry }: { entry: NavEntry }) {
  const Icon = entry.icon;
  // NavLink sets aria-current="page" on the link of the page shown.
  return (
    <li>
      <NavLink
        to={entry.to}
        end={entry.end ?? false}
        className={({ isActive }) =>
          cn(
            "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors",
            isActive
              ? "bg-brand-50 text-brand-700 dark:bg-zinc-800 dark:text-white"
              : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
          )
        }
      >
        <Icon aria-hidden className="h-4 w-4 shrink-0" />
        {entry.label}
      </NavLink>
    </li>
  );
}

/** What the sidebar holds, on the desktop and in the phone's drawer alike. */
export function SidebarContent({ workspaceId, workspace }: { workspaceId: string; workspace: Workspace | undefined }) {
  const { t } = useTranslation("shell");
  const me = useMe();
  const { home, settings } = useNavEntries(workspaceId, workspace);
  const settingsId = useId();
  return (
    <div className="flex h-full flex-col gap-4 p-3">
      <WorkspaceSwitcher current={workspace} />
      <nav aria-label={t("nav.label")} className="flex-1 space-y-4 overflow-y-auto">
        <ul className="space-y-1">
          <NavItem entry={home} />
        </ul>
        <div>
          <p
            id={settingsId}
            className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400"
          >
            {t("nav.settings")}
          </p>
          <ul aria-labelledby={settingsId} className="space-y-1">
            {settings.map((entry) => (
              <NavItem key={entry.to} entry={entry} />
            ))}
          </ul>
        </div>
      </nav>
      <div className="flex items-center gap-1 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        {me.data ? (
          <UserMenu me={me.data} profilePath={`/w/${workspaceId}/settings/profile`} />
        ) : (
          <Skeleton className="h-10 flex-1" />
        )}
        <ThemeSwitch />
        <LanguageSwitch />
      </div>
    </div>
  );
}
