import { safeNext } from "@/features/auth/safeNext";

/** Where to go after signing in to the network: a path of this site only (see safeNext), else the fallback. */
export function networkNext(next: string | null, fallback: string): string {
  return next ? safeNext(next, fallback) : fallback;
}
