/** Errors of the API (problem+json, RFC 9457) as the app handles them. */
import type { components } from "./schema.gen";

export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  request_id?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly retryAfter: number | null;

  constructor(problem: Problem, retryAfter: number | null = null) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "status" in value && "title" in value;
}

/**
 * The data of an openapi-fetch answer, or an ApiError. A network failure or an answer that is not problem+json
 * becomes a problem too, so callers handle one kind of error.
 */
export async function unwrap<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch {
    throw new ApiError({ type: "network", title: "The server cannot be reached", status: 0 });
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const retryAfter = Number(response.headers.get("Retry-After")) || null;
  if (isProblem(error)) throw new ApiError(error, retryAfter);
  throw new ApiError(
    { type: "unknown", title: response.statusText || "Request failed", status: response.status },
    retryAfter,
  );
}

export type Schemas = components["schemas"];
