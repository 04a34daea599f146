/** Fixtures for this feature's tests: workspaces as each role sees them, members and invitations. */
import type { Account, Role, Workspace } from "@/app/session";
import { makeAccount, makeWorkspace } from "@/test/fixtures";
import type { AuditEntry } from "./audit";
import type { Invitation, Member } from "./members";

export const WORKSPACE_ID = "ws1";
export const WORKSPACE_PATH = "/w/:workspaceId/settings/*";

export function workspaceAs(role: Role): Workspace {
  return makeWorkspace(role, { id: WORKSPACE_ID, name: "Acme Studio", created_at: "2024-01-01T10:00:00Z" });
}

export const me: Account = makeAccount({
  id: "u1",
  name: "Me Myself",
  email: "me@example.com",
  email_verified_at: "2024-01-01T10:00:00Z",
  created_at: "2024-01-01T10:00:00Z",
});

export function member(user_id: string, name: string, role: Role): Member {
  return {
    user_id,
    name,
    email: `${name.split(" ")[0]!.toLowerCase()}@example.com`,
    role,
    joined_at: "2024-02-03T09:00:00Z",
  };
}

export const members: Member[] = [
  member("u1", "Me Myself", "owner"),
  member("u2", "Owen Owner", "owner"),
  member("u3", "Bob Editor", "editor"),
];

export const invitation: Invitation = {
  id: "i1",
  email: "new@example.com",
  role: "viewer",
  status: "pending",
  invited_by_id: "u1",
  created_at: "2024-03-01T10:00:00Z",
  last_sent_at: "2024-03-01T10:00:00Z",
  expires_at: "2024-03-08T10:00:00Z",
};

export const auditEntry: AuditEntry = {
  id: "a1",
  seq: 3,
  time: "2024-03-01T10:00:00Z",
  actor: { id: "u1", name: "Me Myself", email: "me@example.com" },
  action: "member.role_changed",
  target_type: "member",
  target_id: "u3",
  summary: "Changed a member's role from viewer to editor",
  details: {},
  ip: "203.0.113.7",
  user_agent: null,
};
