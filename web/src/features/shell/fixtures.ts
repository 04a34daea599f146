/** Answers of the API for this feature's tests, in the server's shapes. */
import type { Role, Workspace } from "@/app/session";
import { makeAccount, makeWorkspace } from "@/test/fixtures";

export { page } from "@/test/fixtures";

export const ME = makeAccount();

export const WORKSPACE_ID = "00000000-0000-4000-8000-0000000000aa";

export function workspace(role: Role, overrides: Partial<Workspace> = {}): Workspace {
  return makeWorkspace(role, { id: WORKSPACE_ID, ...overrides });
}
