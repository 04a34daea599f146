/**
 * Where to go after signing in. `next` comes from the address bar, so anyone can craft it: only a path of this
 * site is followed ("/w/…"), never another site ("//evil.example", "/\\evil.example", "https://…").
 */
export function safeNext(next: string | null | undefined, fallback = "/"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  try {
    // Browsers drop tabs and newlines from addresses ("/\t/evil" is "//evil"): let the URL parser have the last word.
    const origin = window.location.origin;
    const url = new URL(next, origin);
    if (url.origin !== origin) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
