/** The audit log: its filters (kept in the page's address), its pages and its chain check. */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap, type Schemas } from "@/api/problem";
import { cursorPaging, pageQuery } from "@/lib/paging";
import { workspaceKeys } from "./keys";

export type AuditEntry = Schemas["AuditEntryOut"];
export type ChainStatus = Schemas["ChainStatusOut"];

/** The server's query parameters (src/viewfinder/identity/api/audit.py); `from`/`to` are ISO times with offset. */
export const FILTER_KEYS = ["actor", "action", "target_type", "target_id", "from", "to"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type AuditFilters = Partial<Record<FilterKey, string>>;

/** What the server records in a workspace's log, by area; "<area>." filters on every action of the area. */
export const ACTION_GROUPS = {
  workspace: ["workspace.created", "workspace.updated", "workspace.ownership_transferred", "workspace.deleted"],
  member: ["member.role_changed", "member.removed", "member.left"],
  invitation: ["invitation.created", "invitation.resent", "invitation.revoked", "invitation.accepted"],
  user: ["user.signed_up"],
} as const;
export const TARGET_TYPES = ["workspace", "member", "invitation", "user"] as const;

/** The filters in an address's search parameters; empty ones are left out. */
export function filtersFrom(params: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

export function filtersToParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

/** The CSV export of the same entries: a plain GET with the cookie session, so a link downloads it. */
export function exportUrl(workspaceId: string, filters: AuditFilters): string {
  const query = filtersToParams(filters).toString();
  return `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/audit/export.csv${query ? `?${query}` : ""}`;
}

/** An ISO time as the value of a `datetime-local` input, in the browser's time zone. */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (local time, no offset) as the ISO time with offset the server asks for. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function useAuditEntries(workspaceId: string, filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: workspaceKeys.auditEntries(workspaceId, filters),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/audit", {
          params: {
            path: { workspace_id: workspaceId },
            query: { ...filters, ...pageQuery(pageParam) },
          },
        }),
      ),
    ...cursorPaging,
  });
}

export function useAuditChain(workspaceId: string) {
  return useQuery({
    queryKey: workspaceKeys.auditChain(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/audit/verify", { params: { path: { workspace_id: workspaceId } } }),
      ),
  });
}

/** Members as choices for the actor filter (one page of up to 100 is plenty for a choice list). */
export function useMemberChoices(workspaceId: string, enabled: boolean) {
  return useQuery({
    queryKey: workspaceKeys.memberOptions(workspaceId),
    queryFn: async () =>
      (
        await unwrap(
          api.GET("/api/v1/workspaces/{workspace_id}/members", {
            params: { path: { workspace_id: workspaceId }, query: { limit: 100 } },
          }),
        )
      ).items,
    enabled,
  });
}
