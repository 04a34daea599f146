import { ApiError } from "@/api/problem";

/** Whether the server refused a mailed link's token (unknown, used already or expired: it does not say which). */
export function isInvalidLink(error: unknown): boolean {
  return error instanceof ApiError && (error.problem.errors ?? []).some((item) => item.code === "invalid_token");
}
