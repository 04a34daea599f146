/** Answers of the API for this feature's tests, in the server's shapes. */
import type { Account, Role, Workspace } from "@/app/session";

export const ME: Account = {
  id: "00000000-0000-4000-8000-000000000001",
  email: "ada@example.com",
  name: "Ada Lovelace",
  email_verified: true,
  email_verified_at: "2025-01-01T10:00:00Z",
  timezone: "Europe/Rome",
  locale: "en",
  avatar_url: null,
  created_at: "2025-01-01T09:00:00Z",
};

export const WORKSPACE_ID = "00000000-0000-4000-8000-0000000000aa";

const ALL = [
  "audit:read",
  "channels:read",
  "channels:write",
  "content:approve",
  "content:read",
  "content:write",
  "members:read",
  "members:write",
  "reports:read",
  "reports:run",
  "workspace:delete",
  "workspace:read",
  "workspace:write",
] as const;

// As the server's PERMISSIONS table in src/viewfinder/identity/permissions.py.
const PERMISSIONS: Record<Role, Workspace["permissions"]> = {
  owner: [...ALL],
  admin: ALL.filter((p) => p !== "workspace:delete"),
  editor: ["channels:read", "content:read", "content:write", "members:read", "reports:read", "workspace:read"],
  analyst: ["channels:read", "content:read", "members:read", "reports:read", "reports:run", "workspace:read"],
  viewer: ["channels:read", "content:read", "members:read", "reports:read", "workspace:read"],
};

export function workspace(role: Role, overrides: Partial<Workspace> = {}): Workspace {
  return {
    id: WORKSPACE_ID,
    name: "Acme",
    timezone: "Europe/Rome",
    locale: "en",
    role,
    permissions: PERMISSIONS[role],
    assignable_roles:
      role === "owner"
        ? ["owner", "admin", "editor", "analyst", "viewer"]
        : role === "admin"
          ? ["admin", "editor", "analyst", "viewer"]
          : [],
    created_at: "2025-01-01T09:00:00Z",
    ...overrides,
  };
}

export function page<T>(items: T[]) {
  return { items, next_cursor: null };
}
