import { useTranslation } from "react-i18next";
import { Navigate, Outlet, useLocation } from "react-router";
import { ErrorState, Skeleton } from "@/components/ui/States";
import { usePreferences } from "@/lib/preferences";
import { useMe, useWorkspaces } from "./session";

function FullPageLoading() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("loading")} className="flex min-h-screen">
      <Skeleton className="hidden h-screen w-60 rounded-none md:block" />
      <div className="flex-1 space-y-4 p-6">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-32 w-full" />
      </div>
    </div>
  );
}

/** Pages behind it need a session: without one, the person signs in and comes back here. */
export function RequireSession() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageLoading />;
  if (me.isError) {
    return (
      <div className="p-6">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/signin?next=${next}`} replace />;
  }
  return <Outlet />;
}

/** `/`: the workspace opened last, else the first one, else the page that creates one. */
export function RootRedirect() {
  const me = useMe();
  if (me.isPending) return <FullPageLoading />;
  if (!me.data) return <Navigate to="/signin" replace />;
  return <WorkspaceRedirect />;
}

function WorkspaceRedirect() {
  const workspaces = useWorkspaces();
  const lastWorkspaceId = usePreferences((state) => state.lastWorkspaceId);
  if (workspaces.isPending) return <FullPageLoading />;
  if (workspaces.isError) {
    return (
      <div className="p-6">
        <ErrorState error={workspaces.error} onRetry={() => void workspaces.refetch()} />
      </div>
    );
  }
  const target = workspaces.data.find((workspace) => workspace.id === lastWorkspaceId) ?? workspaces.data[0];
  return <Navigate to={target ? `/w/${target.id}` : "/welcome"} replace />;
}
