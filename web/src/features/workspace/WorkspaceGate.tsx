import type { ReactNode } from "react";
import { useCurrentWorkspace, type Workspace } from "@/app/session";
import { PageSkeleton } from "@/components/PageSkeleton";
import { ErrorState } from "@/components/ui/States";

/**
 * Renders its page once the route's workspace (with the caller's permissions) is known. Inside the app the shell
 * has loaded it already; the gate narrows the type and covers a page rendered on its own (in tests).
 */
export function WorkspaceGate({ children }: { children: (workspace: Workspace) => ReactNode }) {
  const workspace = useCurrentWorkspace();
  if (workspace.isPending) return <PageSkeleton />;
  if (workspace.isError) return <ErrorState error={workspace.error} onRetry={() => void workspace.refetch()} />;
  return <>{children(workspace.data)}</>;
}
