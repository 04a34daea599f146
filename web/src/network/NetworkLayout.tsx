/**
 * The frame of the Sandbox network's pages: a compact top bar (the name, a people search) and, on phones, a
 * bottom tab bar (Home, Search, New post, Profile); on wider screens the tabs sit in the top bar. One column, 600 px.
 * The messages link and the notifications bell, each with its unread count, stay in the top bar on every width.
 */
import { useQueryClient } from "@tanstack/react-query";
import { Home, PlusSquare, Search, UserRound } from "lucide-react";
import { useEffect, type ComponentType } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useLocation } from "react-router";
import { LanguageSwitch, ThemeSwitch } from "@/components/PreferenceSwitches";
import { cn } from "@/lib/cn";
import { networkKeys, onNetworkSignedOut, useNetworkMe } from "./api";
import { TopBarSearch } from "./components/TopBarSearch";
import { MessagesLink } from "./messages/MessagesLink";
import { NotificationBell } from "./notifications/NotificationBell";

interface Tab {
  to: string;
  label: string;
  icon: ComponentType<{ className?: string; "aria-hidden"?: boolean }>;
  end?: boolean;
}

function useTabs(): Tab[] {
  const { t } = useTranslation("network");
  const me = useNetworkMe();
  return [
    { to: "/network", label: t("nav.home"), icon: Home, end: true },
    { to: "/network/search", label: t("nav.search"), icon: Search },
    { to: me.data ? "/network/new" : "/network/signin?next=%2Fnetwork%2Fnew", label: t("nav.new"), icon: PlusSquare },
    { to: me.data ? `/network/${me.data.username}` : "/network/signin", label: t("nav.profile"), icon: UserRound },
  ];
}

const tabClass = ({ isActive }: { isActive: boolean }) =>
  cn(
    "flex items-center gap-1.5 rounded-md px-2 py-1 text-sm",
    isActive
      ? "font-semibold text-zinc-900 dark:text-white"
      : "text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white",
  );

export default function NetworkLayout() {
  const { t } = useTranslation("network");
  const tabs = useTabs();
  const location = useLocation();
  const queryClient = useQueryClient();
  const onSearchPage = location.pathname === "/network/search";
  const me = useNetworkMe();

  // A session that cannot be renewed any more: show the pages as to someone signed out.
  useEffect(
    () =>
      onNetworkSignedOut(() => {
        queryClient.removeQueries({ queryKey: networkKeys.all });
        queryClient.setQueryData(networkKeys.me, null);
      }),
    [queryClient],
  );

  return (
    <div className="min-h-screen bg-white text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/95 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
        <div className="mx-auto flex h-14 max-w-[600px] items-center gap-3 px-4">
          <Link to="/network" className="shrink-0 rounded-md text-xl font-bold italic tracking-tight">
            {t("name")}
          </Link>
          {onSearchPage ? <div className="flex-1" /> : <TopBarSearch />}
          <MessagesLink signedIn={Boolean(me.data)} />
          <NotificationBell signedIn={Boolean(me.data)} />
          <nav aria-label={t("nav.label")} className="hidden items-center gap-1 sm:flex">
            {tabs.map((tab) => (
              <NavLink key={tab.label} to={tab.to} end={tab.end} className={tabClass}>
                <tab.icon aria-hidden className="h-5 w-5" />
                <span className="sr-only">{tab.label}</span>
              </NavLink>
            ))}
          </nav>
          <div className="hidden items-center sm:flex">
            <LanguageSwitch />
            <ThemeSwitch />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-[600px] px-4 pb-24 pt-4 sm:pb-12">
        <Outlet />
      </main>
      <nav
        aria-label={t("nav.label")}
        className="fixed inset-x-0 bottom-0 z-30 border-t border-zinc-200 bg-white pb-[env(safe-area-inset-bottom)] sm:hidden dark:border-zinc-800 dark:bg-zinc-950"
      >
        <ul className="mx-auto flex max-w-[600px] justify-around">
          {tabs.map((tab) => (
            <li key={tab.label}>
              <NavLink
                to={tab.to}
                end={tab.end}
                className={({ isActive }) =>
                  cn(
                    "flex min-w-16 flex-col items-center gap-0.5 px-3 py-2 text-xs",
                    isActive ? "font-semibold text-zinc-900 dark:text-white" : "text-zinc-500 dark:text-zinc-400",
                  )
                }
              >
                <tab.icon aria-hidden className="h-6 w-6" />
                {tab.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
