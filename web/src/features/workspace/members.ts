/** Members and invitations of a workspace, page by page, and what changes them. */
import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap, type Schemas } from "@/api/problem";
import { queryKeys, type Role, type Workspace } from "@/app/session";
import { cursorPaging, pageQuery } from "@/lib/paging";
import { workspaceKeys } from "./keys";

export type Member = Schemas["Member"];
export type Invitation = Schemas["Invitation"];
type MemberPages = InfiniteData<Schemas["Page_Member_"], string | null>;

export function useMembers(workspaceId: string) {
  return useInfiniteQuery({
    queryKey: workspaceKeys.members(workspaceId),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/members", {
          params: {
            path: { workspace_id: workspaceId },
            query: pageQuery(pageParam),
          },
        }),
      ),
    ...cursorPaging,
  });
}

export function useInvitations(workspaceId: string) {
  return useInfiniteQuery({
    queryKey: workspaceKeys.invitations(workspaceId),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/invitations", {
          params: {
            path: { workspace_id: workspaceId },
            query: pageQuery(pageParam),
          },
        }),
      ),
    ...cursorPaging,
  });
}

/**
 * The team's mutations. Each refreshes what it changed and the audit log (every change is audited); one that
 * may change the caller's own role refreshes the whole workspace, permissions included.
 */
export function useTeamMutations(workspace: Workspace) {
  const { t } = useTranslation("workspace");
  const queryClient = useQueryClient();
  const id = workspace.id;
  const path = { workspace_id: id };
  // Show the change at once (a select must not flick back to the old role while the list reloads).
  const editMembers = (edit: (list: Member[]) => Member[]) =>
    queryClient.setQueryData<MemberPages>(workspaceKeys.members(id), (data) =>
      data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: edit(page.items) })) } : data,
    );
  const refresh = (...keys: (readonly unknown[])[]) => {
    for (const queryKey of [...keys, workspaceKeys.audit(id)]) void queryClient.invalidateQueries({ queryKey });
  };

  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) =>
      unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}/members/{user_id}", {
          params: { path: { ...path, user_id: member.user_id } },
          body: { role },
        }),
      ),
    onSuccess: (updated) => {
      editMembers((list) => list.map((member) => (member.user_id === updated.user_id ? updated : member)));
      // The caller may have changed their own role: refresh the workspace and its permissions too.
      void queryClient.invalidateQueries({ queryKey: queryKeys.workspace(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.workspaces, exact: true });
      toast.success(t("team.roleChanged", { name: updated.name, role: t(`common:roles.${updated.role}`) }));
    },
    onError: (error) => showError(error),
  });

  const removeMember = useMutation({
    mutationFn: (member: Member) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/members/{user_id}", {
          params: { path: { ...path, user_id: member.user_id } },
        }),
      ),
    onSuccess: (_data, member) => {
      editMembers((list) => list.filter((other) => other.user_id !== member.user_id));
      refresh(workspaceKeys.members(id));
      toast.success(t("team.removed", { name: member.name }));
    },
    onError: (error) => showError(error),
  });

  const transferOwnership = useMutation({
    mutationFn: (member: Member) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/ownership", {
          params: { path },
          body: { user_id: member.user_id },
        }),
      ),
    onSuccess: (updated, member) => {
      // The answer is the workspace as the caller now sees it (an admin, no longer the owner).
      queryClient.setQueryData(queryKeys.workspace(id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.workspace(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.workspaces, exact: true });
      toast.success(t("team.ownershipTransferred", { name: member.name }));
    },
    onError: (error) => showError(error),
  });

  const resendInvitation = useMutation({
    mutationFn: (invitation: Invitation) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/invitations/{invitation_id}/resend", {
          params: { path: { ...path, invitation_id: invitation.id } },
        }),
      ),
    onSuccess: (invitation) => {
      refresh(workspaceKeys.invitations(id));
      toast.success(t("invitations.resent", { email: invitation.email }));
    },
    onError: (error) => showError(error),
  });

  const revokeInvitation = useMutation({
    mutationFn: (invitation: Invitation) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/invitations/{invitation_id}", {
          params: { path: { ...path, invitation_id: invitation.id } },
        }),
      ),
    onSuccess: (_data, invitation) => {
      refresh(workspaceKeys.invitations(id));
      toast.success(t("invitations.revoked", { email: invitation.email }));
    },
    onError: (error) => showError(error),
  });

  return { changeRole, removeMember, transferOwnership, resendInvitation, revokeInvitation };
}
