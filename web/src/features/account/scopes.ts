/**
 * Scopes a personal API token may carry. The OpenAPI schema types them as plain strings (no enum), so they are
 * listed here: keep in step with TOKEN_SCOPES in src/viewfinder/identity/permissions.py ("area:read" and
 * "area:write" for every permission area; write includes read).
 */
export const TOKEN_AREAS = ["workspace", "members", "audit", "content", "channels", "reports"] as const;
export const TOKEN_LEVELS = ["read", "write"] as const;

export type TokenArea = (typeof TOKEN_AREAS)[number];
export type TokenLevel = (typeof TOKEN_LEVELS)[number];

export const TOKEN_SCOPES: readonly string[] = TOKEN_AREAS.flatMap((area) =>
  TOKEN_LEVELS.map((level) => `${area}:${level}`),
);

/** Days a new token lasts; "never" sends no expiry. */
export const TOKEN_EXPIRIES = ["7", "30", "90", "365", "never"] as const;
export type TokenExpiry = (typeof TOKEN_EXPIRIES)[number];
