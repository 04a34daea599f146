/**
 * The team: members with their roles, and the invitations still open. People with members:write manage them;
 * everyone else sees a read-only list without any controls.
 */
import { Crown, UserPlus } from "lucide-react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { can, useMe, type Role, type Workspace } from "@/app/session";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { Button } from "@/components/ui/Button";
import { Card, PageHeader } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { Select } from "@/components/ui/Input";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/ui/States";
import { cn } from "@/lib/cn";
import { useDateFormat } from "@/lib/dates";
import { InviteDialog } from "./InviteDialog";
import { LeaveWorkspaceCard } from "./LeaveWorkspaceCard";
import { useInvitations, useMembers, useTeamMutations, type Invitation, type Member } from "./members";
import { RoleBadge, RoleGuide } from "./roles";
import { WorkspaceGate } from "./WorkspaceGate";

export default function TeamPage() {
  return <WorkspaceGate>{(workspace) => <Team workspace={workspace} />}</WorkspaceGate>;
}

function Team({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation("workspace");
  const manage = can(workspace, "members:write");
  const me = useMe();
  const [inviting, setInviting] = useState(false);
  return (
    <div className="mx-auto w-full max-w-4xl">
      <PageHeader
        title={t("team.title")}
        description={t("team.description", { workspace: workspace.name })}
        actions={
          manage && (
            <Button onClick={() => setInviting(true)}>
              <UserPlus aria-hidden className="h-4 w-4" />
              {t("invite.open")}
            </Button>
          )
        }
      />
      <div className="space-y-6">
        {can(workspace, "members:read") ? (
          <Members workspace={workspace} />
        ) : (
          <Card>
            <p className="text-sm">{t("team.noAccess")}</p>
          </Card>
        )}
        {manage && <Invitations workspace={workspace} />}
        <Card title={t("roleGuide.title")}>
          <RoleGuide />
        </Card>
        {me.data && <LeaveWorkspaceCard workspace={workspace} userId={me.data.id} />}
      </div>
      {manage && <InviteDialog workspace={workspace} open={inviting} onOpenChange={setInviting} />}
    </div>
  );
}

function Members({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation("workspace");
  const members = useMembers(workspace.id);
  const mutations = useTeamMutations(workspace);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [promoting, setPromoting] = useState<Member | null>(null);

  let body;
  if (members.isPending) body = <ListSkeleton rows={4} />;
  else if (members.isError) body = <ErrorState error={members.error} onRetry={() => void members.refetch()} />;
  else {
    const list = members.data.pages.flatMap((page) => page.items);
    body =
      list.length === 0 ? (
        <EmptyState title={t("team.empty")} />
      ) : (
        <>
          <ul className="@container divide-y divide-zinc-200 dark:divide-zinc-800">
            {list.map((member) => (
              <MemberRow
                key={member.user_id}
                workspace={workspace}
                member={member}
                onRemove={() => setRemoving(member)}
                onMakeOwner={() => setPromoting(member)}
                mutations={mutations}
              />
            ))}
          </ul>
          <LoadMoreButton query={members} />
        </>
      );
  }

  return (
    <Card title={t("team.members")}>
      {body}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={t("team.removeTitle", { name: removing?.name ?? "" })}
        description={t("team.removeDescription", { name: removing?.name ?? "", workspace: workspace.name })}
        confirmLabel={t("team.remove")}
        busy={mutations.removeMember.isPending}
        onConfirm={() => removing && mutations.removeMember.mutate(removing, { onSettled: () => setRemoving(null) })}
      />
      <ConfirmDialog
        open={promoting !== null}
        onOpenChange={(open) => !open && setPromoting(null)}
        title={t("team.makeOwnerTitle", { name: promoting?.name ?? "" })}
        description={t("team.makeOwnerDescription", { name: promoting?.name ?? "" })}
        confirmLabel={t("team.makeOwner")}
        danger={false}
        busy={mutations.transferOwnership.isPending}
        onConfirm={() =>
          promoting && mutations.transferOwnership.mutate(promoting, { onSettled: () => setPromoting(null) })
        }
      />
    </Card>
  );
}

interface MemberRowProps {
  workspace: Workspace;
  member: Member;
  onRemove: () => void;
  onMakeOwner: () => void;
  mutations: ReturnType<typeof useTeamMutations>;
}

function MemberRow({ workspace, member, onRemove, onMakeOwner, mutations }: MemberRowProps) {
  const { t } = useTranslation("workspace");
  const format = useDateFormat();
  const me = useMe();
  const nameId = useId();
  const isMe = me.data?.id === member.user_id;
  // The caller manages a member only between roles they may give: an admin cannot touch an owner.
  const manageable = can(workspace, "members:write") && workspace.assignable_roles.includes(member.role);
  const { changeRole } = mutations;
  const pendingRole =
    changeRole.isPending && changeRole.variables?.member.user_id === member.user_id ? changeRole.variables.role : null;

  return (
    // Rows lay out by the list's own width (container queries), not the window's: the app's sidebar takes room.
    <li className="flex flex-col gap-3 py-4 @2xl:flex-row @2xl:items-center @2xl:gap-4">
      <div className="min-w-0 flex-1">
        <p id={nameId} className="truncate font-medium">
          {member.name}
          {isMe && <span className="ml-2 text-xs font-normal text-zinc-500 dark:text-zinc-400">{t("team.you")}</span>}
        </p>
        <p className="truncate text-sm text-zinc-500 dark:text-zinc-400">{member.email}</p>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          <time dateTime={member.joined_at}>{t("team.joinedOn", { date: format.date(member.joined_at) })}</time>
        </p>
      </div>
      {/* A manager's rows keep one width here, so their role selects line up. */}
      <div className={cn("flex flex-wrap items-center gap-2", can(workspace, "members:write") && "@2xl:w-[25rem]")}>
        {manageable ? (
          <div className="w-36 shrink-0">
            <Select
              aria-label={t("team.roleOf", { name: member.name })}
              value={pendingRole ?? member.role}
              disabled={pendingRole !== null}
              onChange={(event) => changeRole.mutate({ member, role: event.target.value as Role })}
            >
              {workspace.assignable_roles.map((role) => (
                <option key={role} value={role}>
                  {t(`common:roles.${role}`)}
                </option>
              ))}
            </Select>
          </div>
        ) : (
          <RoleBadge role={member.role} />
        )}
        {manageable && workspace.assignable_roles.includes("owner") && member.role !== "owner" && !isMe && (
          <Button variant="secondary" size="sm" aria-describedby={nameId} onClick={onMakeOwner}>
            <Crown aria-hidden className="h-4 w-4" />
            {t("team.makeOwner")}
          </Button>
        )}
        {manageable && !isMe && (
          <Button variant="secondary" size="sm" aria-describedby={nameId} onClick={onRemove}>
            {t("team.remove")}
          </Button>
        )}
      </div>
    </li>
  );
}

function Invitations({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation("workspace");
  const invitations = useInvitations(workspace.id);
  const mutations = useTeamMutations(workspace);
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  let body;
  if (invitations.isPending) body = <ListSkeleton rows={2} />;
  else if (invitations.isError)
    body = <ErrorState error={invitations.error} onRetry={() => void invitations.refetch()} />;
  else {
    const list = invitations.data.pages.flatMap((page) => page.items);
    body =
      list.length === 0 ? (
        <EmptyState title={t("invitations.empty")}>{t("invitations.emptyHint")}</EmptyState>
      ) : (
        <>
          <ul className="@container divide-y divide-zinc-200 dark:divide-zinc-800">
            {list.map((invitation) => (
              <InvitationRow
                key={invitation.id}
                invitation={invitation}
                resending={
                  mutations.resendInvitation.isPending && mutations.resendInvitation.variables?.id === invitation.id
                }
                onResend={() => mutations.resendInvitation.mutate(invitation)}
                onRevoke={() => setRevoking(invitation)}
              />
            ))}
          </ul>
          <LoadMoreButton query={invitations} />
        </>
      );
  }

  return (
    <Card title={t("invitations.title")} description={t("invitations.description")}>
      {body}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={t("invitations.revokeTitle", { email: revoking?.email ?? "" })}
        description={t("invitations.revokeDescription")}
        confirmLabel={t("invitations.revoke")}
        busy={mutations.revokeInvitation.isPending}
        onConfirm={() =>
          revoking && mutations.revokeInvitation.mutate(revoking, { onSettled: () => setRevoking(null) })
        }
      />
    </Card>
  );
}

interface InvitationRowProps {
  invitation: Invitation;
  resending: boolean;
  onResend: () => void;
  onRevoke: () => void;
}

function InvitationRow({ invitation, resending, onResend, onRevoke }: InvitationRowProps) {
  const { t } = useTranslation("workspace");
  const format = useDateFormat();
  const emailId = useId();
  const expired = invitation.status === "expired";
  return (
    <li className="flex flex-col gap-3 py-4 @2xl:flex-row @2xl:items-center @2xl:gap-4">
      <div className="min-w-0 flex-1 space-y-1">
        <p id={emailId} className="truncate font-medium">
          {invitation.email}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <RoleBadge role={invitation.role} />
          <span
            className={
              expired
                ? "rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200"
                : "rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
            }
          >
            {t(`invitations.status.${invitation.status}`)}
          </span>
        </div>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-sm text-zinc-500 @2xl:w-56 dark:text-zinc-400">
        <dt>{t("invitations.sent")}</dt>
        <dd>
          <time dateTime={invitation.last_sent_at}>{format.dateTime(invitation.last_sent_at)}</time>
        </dd>
        <dt>{expired ? t("invitations.expired") : t("invitations.expires")}</dt>
        <dd>
          <time dateTime={invitation.expires_at}>{format.dateTime(invitation.expires_at)}</time>
        </dd>
      </dl>
      <div className="flex gap-2 @2xl:justify-end">
        <Button variant="secondary" size="sm" aria-describedby={emailId} loading={resending} onClick={onResend}>
          {t("invitations.resend")}
        </Button>
        <Button variant="secondary" size="sm" aria-describedby={emailId} onClick={onRevoke}>
          {t("invitations.revoke")}
        </Button>
      </div>
    </li>
  );
}
