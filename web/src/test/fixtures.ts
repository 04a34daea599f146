/** Answers of the API in the server's shapes, shared by the features' tests. */
import type { Account, Permission, Role, Workspace } from "@/app/session";

/** An account; tests override what they look at. */
export function makeAccount(overrides: Partial<Account> = {}): Account {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    email: "ada@example.com",
    name: "Ada Lovelace",
    email_verified: true,
    email_verified_at: "2025-01-01T10:00:00Z",
    timezone: "Europe/Rome",
    locale: "en",
    avatar_url: null,
    created_at: "2025-01-01T09:00:00Z",
    ...overrides,
  };
}

const READ_ALL: Permission[] = ["workspace:read", "members:read", "content:read", "channels:read", "reports:read"];
const EVERYTHING: Permission[] = [
  ...READ_ALL,
  "workspace:write",
  "workspace:delete",
  "members:write",
  "audit:read",
  "content:write",
  "content:approve",
  "channels:write",
  "reports:run",
];

// As the server's tables in src/viewfinder/identity/permissions.py (PERMISSIONS and ASSIGNABLE_BY).
const PERMISSIONS: Record<Role, Permission[]> = {
  owner: EVERYTHING,
  admin: EVERYTHING.filter((permission) => permission !== "workspace:delete"),
  editor: [...READ_ALL, "content:write"],
  analyst: [...READ_ALL, "reports:run"],
  viewer: READ_ALL,
};
const ASSIGNABLE: Record<Role, Role[]> = {
  owner: ["owner", "admin", "editor", "analyst", "viewer"],
  admin: ["admin", "editor", "analyst", "viewer"],
  editor: [],
  analyst: [],
  viewer: [],
};

/** A workspace as a member with `role` sees it: the role's permissions and the roles it may give. */
export function makeWorkspace(role: Role, overrides: Partial<Workspace> = {}): Workspace {
  return {
    id: "00000000-0000-4000-8000-0000000000aa",
    name: "Acme",
    timezone: "Europe/Rome",
    locale: "en",
    role,
    permissions: PERMISSIONS[role],
    assignable_roles: ASSIGNABLE[role],
    created_at: "2025-01-01T09:00:00Z",
    ...overrides,
  };
}

/** One page of a list, the last. */
export function page<T>(items: T[]) {
  return { items, next_cursor: null };
}
