import { Menu as MenuIcon, X } from "lucide-react";
import { Dialog } from "radix-ui";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useParams } from "react-router";
import { ApiError } from "@/api/problem";
import { useCurrentWorkspace } from "@/app/session";
import { PageSkeleton } from "@/components/PageSkeleton";
import { ErrorState } from "@/components/ui/States";
import { usePreferences } from "@/lib/preferences";
import { SidebarContent } from "./Sidebar";

/** The frame of every workspace page: the sidebar (a drawer on phones) and the page in `<main>`. */
export default function AppShell() {
  const { workspaceId = "" } = useParams();
  const workspace = useCurrentWorkspace();
  const current = workspace.data;

  // Open this workspace again at the next visit.
  useEffect(() => {
    if (current) usePreferences.getState().setLastWorkspaceId(current.id);
  }, [current]);

  if (workspace.isError && isNotMember(workspace.error)) return <NotAMember workspaceId={workspaceId} />;

  return (
    <div className="min-h-screen">
      <SkipLink />
      <aside className="fixed inset-y-0 left-0 z-30 hidden w-64 border-r border-zinc-200 bg-zinc-50 md:block dark:border-zinc-800 dark:bg-zinc-900">
        <SidebarContent workspaceId={workspaceId} workspace={current} />
      </aside>
      <MobileBar workspaceId={workspaceId} />
      <main id="content" tabIndex={-1} className="outline-none md:pl-64">
        <div className="mx-auto max-w-5xl px-4 py-6 sm:px-6 lg:px-8">
          {workspace.isPending ? (
            <PageSkeleton />
          ) : workspace.isError ? (
            <ErrorState error={workspace.error} onRetry={() => void workspace.refetch()} />
          ) : (
            <Outlet />
          )}
        </div>
      </main>
    </div>
  );
}

/** 404: no such workspace, or the person is not (or no longer) a member; 422: the address is not an id at all. */
function isNotMember(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 422);
}

function SkipLink() {
  const { t } = useTranslation("shell");
  return (
    <a
      href="#content"
      className="sr-only z-50 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:left-4 focus:top-4"
    >
      {t("skipToContent")}
    </a>
  );
}

/** Under 768 px: a top bar whose button opens the sidebar as a drawer. */
function MobileBar({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("shell");
  const workspace = useCurrentWorkspace();
  const location = useLocation();
  // The drawer belongs to the page it was opened on: following any link inside it closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === location.key;
  return (
    <div className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-zinc-200 bg-white/95 px-2 backdrop-blur md:hidden dark:border-zinc-800 dark:bg-zinc-950/95">
      <Dialog.Root open={open} onOpenChange={(next) => setOpenOn(next ? location.key : null)}>
        <Dialog.Trigger asChild>
          <button
            type="button"
            aria-label={t("openMenu")}
            className="inline-flex h-10 w-10 items-center justify-center rounded-md text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            <MenuIcon aria-hidden className="h-5 w-5" />
          </button>
        </Dialog.Trigger>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
          <Dialog.Content
            aria-describedby={undefined}
            className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] bg-white shadow-xl dark:bg-zinc-900"
          >
            <Dialog.Title className="sr-only">{t("menuTitle")}</Dialog.Title>
            <Dialog.Close asChild>
              <button
                type="button"
                aria-label={t("closeMenu")}
                className="absolute -right-12 top-2 inline-flex h-10 w-10 items-center justify-center rounded-md bg-white text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
              >
                <X aria-hidden className="h-5 w-5" />
              </button>
            </Dialog.Close>
            <SidebarContent workspaceId={workspaceId} workspace={workspace.data} />
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
      <span className="truncate text-sm font-semibold">{workspace.data?.name ?? t("common:appName")}</span>
    </div>
  );
}

function NotAMember({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("shell");
  // Forget it, so the start page does not try to open it again.
  useEffect(() => {
    const preferences = usePreferences.getState();
    if (preferences.lastWorkspaceId === workspaceId) preferences.setLastWorkspaceId(null);
  }, [workspaceId]);
  return (
    <main
      id="content"
      className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 p-6 text-center"
    >
      <h1 className="text-xl font-semibold sm:text-2xl">{t("notMember.title")}</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("notMember.body")}</p>
      <Link to="/" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
        {t("notMember.link")}
      </Link>
    </main>
  );
}
