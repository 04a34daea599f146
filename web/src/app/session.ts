/** The signed-in person and their workspaces, shared by every page through TanStack Query. */
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useParams } from "react-router";
import { api, hasSessionCookie } from "@/api/client";
import { ApiError, unwrap, type Schemas } from "@/api/problem";

export type Account = Schemas["Account"];
export type Workspace = Schemas["Workspace"];
export type Permission = Schemas["Permission"];
export type Role = Schemas["Role"];

export const queryKeys = {
  me: ["me"] as const,
  workspaces: ["workspaces"] as const,
  workspace: (id: string) => ["workspaces", id] as const,
};

/** The signed-in account; `null` when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async (): Promise<Account | null> => {
      // Without the session's cookies nobody is signed in: no need to ask (and have the browser log a 401).
      if (!hasSessionCookie()) return null;
      try {
        return await unwrap(api.GET("/api/v1/auth/me"));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useWorkspaces() {
  return useQuery({
    queryKey: queryKeys.workspaces,
    queryFn: async () => (await unwrap(api.GET("/api/v1/workspaces", { params: { query: { limit: 100 } } }))).items,
  });
}

/** The workspace of the current route (`/w/:workspaceId/…`), with the caller's role and permissions. */
export function useCurrentWorkspace() {
  const { workspaceId } = useParams();
  return useQuery({
    queryKey: queryKeys.workspace(workspaceId ?? ""),
    queryFn: () =>
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}", { params: { path: { workspace_id: workspaceId! } } })),
    enabled: Boolean(workspaceId),
  });
}

/** Whether the caller may do something in a workspace: controls they may not use are not shown. */
export function can(workspace: Workspace | undefined, permission: Permission): boolean {
  return Boolean(workspace?.permissions.includes(permission));
}

/** Forget everything cached about the previous person (after sign-out, or when the session ends). */
export function forgetPerson(client: QueryClient): void {
  client.clear();
  client.setQueryData(queryKeys.me, null);
}

export function useResetSession() {
  const client = useQueryClient();
  return () => forgetPerson(client);
}
