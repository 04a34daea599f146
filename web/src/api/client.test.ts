import { api, hasSessionCookie } from "./client";

function json(status: number, body: unknown = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("the API client", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("echoes the CSRF cookie on unsafe requests only", async () => {
    document.cookie = "vf_csrf=abc123; path=/";
    const seen: Request[] = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      seen.push(request);
      return json(200, { events: {} });
    });
    await api.GET("/api/v1/auth/notifications");
    await api.PUT("/api/v1/auth/notifications", { body: { events: {} } });
    expect(seen.map((request) => [request.method, request.headers.get("X-CSRF-Token")])).toEqual([
      ["GET", null],
      ["PUT", "abc123"],
    ]);
  });

  it("refreshes once on a 401, then sends the request again with the new CSRF token", async () => {
    document.cookie = "vf_csrf=old; path=/";
    const seen: string[] = [];
    let first = true;
    vi.stubGlobal("fetch", async (request: Request) => {
      const path = new URL(request.url).pathname;
      seen.push(`${request.method} ${path} ${request.headers.get("X-CSRF-Token")}`);
      if (path === "/api/v1/auth/refresh") {
        document.cookie = "vf_csrf=new; path=/";
        return json(200);
      }
      if (first) {
        first = false;
        return json(401, { type: "unauthorized", title: "Sign-in required", status: 401 });
      }
      return new Response(null, { status: 204 });
    });
    const { response } = await api.POST("/api/v1/auth/logout");
    expect(response.status).toBe(204);
    expect(seen).toEqual([
      "POST /api/v1/auth/logout old",
      "POST /api/v1/auth/refresh old",
      "POST /api/v1/auth/logout new",
    ]);
  });

  it("tells the app when the session cannot be renewed", async () => {
    const { onSignedOut } = await import("./client");
    const listener = vi.fn();
    const stop = onSignedOut(listener);
    vi.stubGlobal("fetch", async () => json(401, { type: "unauthorized", title: "Sign-in required", status: 401 }));
    const { response } = await api.GET("/api/v1/auth/me");
    expect(response.status).toBe(401);
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
  });

  it("knows a session exists by its CSRF cookie", () => {
    document.cookie = "vf_csrf=; path=/; max-age=0";
    expect(hasSessionCookie()).toBe(false);
    document.cookie = "vf_csrf=x; path=/";
    expect(hasSessionCookie()).toBe(true);
  });
});
