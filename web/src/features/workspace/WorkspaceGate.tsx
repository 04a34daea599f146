import type { ReactNode } from "react";
import { ErrorState, Skeleton } from "@/components/ui/States";
import { useCurrentWorkspace, type Workspace } from "@/app/session";

/** Renders its page once the route's workspace (with the caller's permissions) is known. */
export function WorkspaceGate({ children }: { children: (workspace: Workspace) => ReactNode }) {
  const workspace = useCurrentWorkspace();
  if (workspace.isPending) {
    return (
      <div className="space-y-4">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (workspace.isError) return <ErrorState error={workspace.error} onRetry={() => void workspace.refetch()} />;
  return <>{children(workspace.data)}</>;
}
