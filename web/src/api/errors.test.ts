import { toast } from "sonner";
import i18n from "@/i18n";
import { errorMessage, showError } from "./errors";
import { ApiError } from "./problem";

vi.mock("sonner", () => ({ toast: { error: vi.fn() } }));

const invalid = new ApiError({
  type: "validation-error",
  title: "The request is not valid",
  status: 422,
  detail: "email: taken",
  errors: [
    { field: "email", message: "An account with this address exists", code: "email_taken" },
    { field: "query.confirm", message: "type the name", code: "confirmation" },
  ],
});

describe("showError", () => {
  beforeEach(() => void i18n.changeLanguage("en"));

  it("puts field errors on their fields, translated by code, and the rest in the banner", () => {
    const setError = vi.fn();
    showError(invalid, { setError, fields: ["email", "password"] });
    expect(setError).toHaveBeenCalledWith(
      "email",
      { type: "server", message: "An account with this email already exists." },
      { shouldFocus: true },
    );
    expect(setError).toHaveBeenCalledWith("root.server", { type: "server", message: "email: taken" });
    expect(setError).toHaveBeenCalledTimes(2);
  });

  it("keeps the server's words for codes it has no translation of, in any language", async () => {
    await i18n.changeLanguage("it");
    const setError = vi.fn();
    const unknownCode = new ApiError({
      ...invalid.problem,
      errors: [{ field: "name", message: "too odd", code: "odd" }],
    });
    showError(unknownCode, { setError, fields: ["name"] });
    expect(setError).toHaveBeenCalledWith("name", { type: "server", message: "too odd" }, { shouldFocus: true });
    expect(setError).toHaveBeenCalledTimes(1);
  });

  it("toasts when there is no form", () => {
    showError(
      new ApiError({ type: "conflict", title: "Conflict", status: 409, detail: "The last owner cannot leave." }),
    );
    expect(toast.error).toHaveBeenCalledWith("The last owner cannot leave.");
  });
});

describe("errorMessage", () => {
  it("says how long to wait after too many attempts, and what to tell an administrator after a crash", () => {
    expect(errorMessage(new ApiError({ type: "x", title: "Too many", status: 429 }, 42))).toBe(
      "Too many attempts. Try again in 42 seconds.",
    );
    expect(errorMessage(new ApiError({ type: "x", title: "Oops", status: 500, request_id: "req-9" }))).toContain(
      "req-9",
    );
    expect(errorMessage(new ApiError({ type: "network", title: "x", status: 0 }))).toMatch(/cannot be reached/);
    expect(errorMessage(new Error("boom"))).toBe("Something went wrong. Please try again.");
  });
});
