/** Renders a component as the app would: with a fresh query cache and a router at the given address. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";

export function renderWithApp(routes: RouteObject[], { at = "/" }: { at?: string } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const router = createMemoryRouter(routes, { initialEntries: [at] });
  const view = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...view, router, queryClient };
}

export function renderPage(element: ReactElement, options: { at?: string; path?: string } = {}) {
  return renderWithApp([{ path: options.path ?? "*", element }], options);
}

/** A request's body as sent: JSON parsed, multipart as FormData. */
async function bodyOf(request: Request): Promise<unknown> {
  if (request.method === "GET") return undefined;
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) return request.clone().formData();
  const text = await request.clone().text();
  return text ? JSON.parse(text) : undefined;
}

/** Answers fetch calls from a table of `METHOD /path` → [status, body]; records what was asked. */
export function mockApi(answers: Record<string, [number, unknown] | ((request: Request) => [number, unknown])>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetchMock = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    calls.push({ method: request.method, path: url.pathname + url.search, body: await bodyOf(request) });
    const answer = answers[`${request.method} ${url.pathname}`];
    if (!answer)
      return new Response(JSON.stringify({ type: "not-found", title: "Not found", status: 404 }), {
        status: 404,
        headers: { "content-type": "application/problem+json" },
      });
    const [status, body] = typeof answer === "function" ? answer(request) : answer;
    const contentType = status >= 400 ? "application/problem+json" : "application/json";
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { "content-type": contentType },
    });
  };
  globalThis.fetch = fetchMock as typeof fetch;
  return calls;
}
