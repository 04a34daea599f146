import { ApiError } from "@/api/problem";

/** Whether the server refused the request with a field error of this code (`email_taken`, `invalid_token`…). */
export function hasErrorCode(error: unknown, code: string): boolean {
  return error instanceof ApiError && (error.problem.errors ?? []).some((item) => item.code === code);
}

/** Whether the server refused a mailed link's token (unknown, used already or expired: it does not say which). */
export function isInvalidLink(error: unknown): boolean {
  return hasErrorCode(error, "invalid_token");
}
