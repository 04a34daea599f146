import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { networkApi, useNetworkMe } from "./api";
import { signInToNetwork, signOutOfNetwork } from "./testData";

function json(status: number, body: unknown = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("the network API client", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    signOutOfNetwork();
  });

  it("echoes the network's CSRF cookie (not the suite's) on unsafe requests only", async () => {
    document.cookie = "vfn_csrf=net123; path=/";
    const seen: Request[] = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      seen.push(request);
      return json(200, { state: "following", followers_count: 1 });
    });
    await networkApi.GET("/network/api/v1/auth/me");
    await networkApi.POST("/network/api/v1/people/{username}/follow", { params: { path: { username: "grace" } } });
    expect(seen.map((request) => [request.method, request.headers.get("X-CSRF-Token")])).toEqual([
      ["GET", null],
      ["POST", "net123"],
    ]);
  });

  it("refreshes once through the network's refresh path on a 401, then sends the request again", async () => {
    document.cookie = "vfn_csrf=old; path=/";
    const seen: string[] = [];
    let first = true;
    vi.stubGlobal("fetch", async (request: Request) => {
      const path = new URL(request.url).pathname;
      seen.push(`${request.method} ${path} ${request.headers.get("X-CSRF-Token")}`);
      if (path === "/network/api/v1/auth/refresh") {
        document.cookie = "vfn_csrf=new; path=/";
        return json(200);
      }
      if (first) {
        first = false;
        return json(401, { type: "unauthorized", title: "Sign-in required", status: 401 });
      }
      return json(200, { blocked: true });
    });
    const { response } = await networkApi.POST("/network/api/v1/people/{username}/block", {
      params: { path: { username: "grace" } },
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual([
      "POST /network/api/v1/people/grace/block old",
      "POST /network/api/v1/auth/refresh old",
      "POST /network/api/v1/people/grace/block new",
    ]);
  });

  it("shares one refresh between requests that fail together", async () => {
    signInToNetwork();
    let refreshes = 0;
    const answered = new Set<string>();
    vi.stubGlobal("fetch", async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === "/network/api/v1/auth/refresh") {
        refreshes += 1;
        return json(200);
      }
      const key = url.pathname + url.search;
      if (!answered.has(key)) {
        answered.add(key);
        return json(401, { type: "unauthorized", title: "Sign-in required", status: 401 });
      }
      return json(200, { items: [] });
    });
    await Promise.all([
      networkApi.GET("/network/api/v1/people", { params: { query: { prefix: "a" } } }),
      networkApi.GET("/network/api/v1/people", { params: { query: { prefix: "b" } } }),
    ]);
    expect(refreshes).toBe(1);
  });

  it("does not refresh without a network session (the suite's session does not count)", async () => {
    const seen: string[] = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      seen.push(new URL(request.url).pathname);
      return json(401, { type: "unauthorized", title: "Sign-in required", status: 401 });
    });
    await networkApi.POST("/network/api/v1/people/{username}/follow", { params: { path: { username: "grace" } } });
    expect(seen).toEqual(["/network/api/v1/people/grace/follow"]);
  });
});

describe("useNetworkMe", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    signOutOfNetwork();
  });

  function wrapper({ children }: { children: ReactNode }) {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  }

  it("is null without the network's cookie, without asking the server", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    const { result } = renderHook(() => useNetworkMe(), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("is null when the server no longer knows the session", async () => {
    signInToNetwork();
    vi.stubGlobal("fetch", async () => json(401, { type: "unauthorized", title: "Sign-in required", status: 401 }));
    const { result } = renderHook(() => useNetworkMe(), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toBeNull();
  });
});
