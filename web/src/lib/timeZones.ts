/** IANA time zones as the browser knows them, for the time zone selects of workspaces and profiles. */

/** The browser's own zone, the sensible default for a new workspace. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

let zones: readonly string[] | null = null;

/**
 * Every zone, sorted. Browsers leave "UTC" out of their list, yet it is the server's default, so it is added;
 * a browser without `Intl.supportedValuesOf` (Safari before 15.4) offers UTC alone.
 */
export function timeZones(): readonly string[] {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  zones ??= [...new Set([...known, "UTC"])].sort();
  return zones;
}

/** The zones to offer, with `current` among them even when the browser does not list it (an alias such as Etc/UTC). */
export function timeZoneOptions(current?: string): readonly string[] {
  const all = timeZones();
  return current && !all.includes(current) ? [current, ...all] : all;
}

/** "America/New_York" → "America/New York". */
export function timeZoneLabel(zone: string): string {
  return zone.replaceAll("_", " ");
}
