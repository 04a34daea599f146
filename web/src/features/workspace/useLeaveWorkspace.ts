import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { queryKeys, type Workspace } from "@/app/session";
import { usePreferences } from "@/lib/preferences";

/**
 * What follows when a workspace is gone for the caller (deleted, or left): go to "/", which opens another
 * workspace or offers to create one, and forget everything cached about this one.
 */
export function useLeaveWorkspace() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async (workspaceId: string) => {
    // Drop it from the cached list first, so "/" does not send the person back into it.
    queryClient.setQueryData<Workspace[]>(queryKeys.workspaces, (list) => list?.filter((w) => w.id !== workspaceId));
    const preferences = usePreferences.getState();
    if (preferences.lastWorkspaceId === workspaceId) preferences.setLastWorkspaceId(null);
    void queryClient.invalidateQueries({ queryKey: queryKeys.workspaces, exact: true });
    await navigate("/", { replace: true });
    // Once its pages are gone (removing it while they show would refetch it, answered by a 404): forget the
    // workspace, its members and its log.
    queryClient.removeQueries({ queryKey: queryKeys.workspace(workspaceId) });
  };
}
