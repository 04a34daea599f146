/**
 * Query keys of this feature. They all live under the workspace's own key (`["workspaces", id]`), so a change
 * that alters the caller's role can refresh everything about the workspace with one prefix.
 */
import { queryKeys } from "@/app/session";

export const workspaceKeys = {
  members: (id: string) => [...queryKeys.workspace(id), "members"] as const,
  /** Members as choices (the audit log's actor filter). */
  memberOptions: (id: string) => [...queryKeys.workspace(id), "members", "options"] as const,
  invitations: (id: string) => [...queryKeys.workspace(id), "invitations"] as const,
  audit: (id: string) => [...queryKeys.workspace(id), "audit"] as const,
  auditEntries: (id: string, filters: Record<string, string>) =>
    [...queryKeys.workspace(id), "audit", "entries", filters] as const,
  auditChain: (id: string) => [...queryKeys.workspace(id), "audit", "chain"] as const,
};
