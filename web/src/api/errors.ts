/**
 * One error mapping for the whole app: a problem's field errors go onto the form's fields, the rest onto the
 * form's banner, or into a toast when there is no form.
 */
import type { TFunction } from "i18next";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { toast } from "sonner";
import i18n from "@/i18n";
import { ApiError, type FieldError } from "./problem";

/** The message to show for one field error: ours in the person's language when we know its code. */
export function fieldMessage(error: FieldError, t: TFunction = i18n.t): string {
  return error.code ? t(`errors:codes.${error.code}`, { defaultValue: error.message }) : error.message;
}

/** The message to show for a whole error. */
export function errorMessage(error: unknown, t: TFunction = i18n.t): string {
  if (!(error instanceof ApiError)) return t("errors:unexpected");
  if (error.status === 0) return t("errors:network");
  if (error.status === 429) return t("errors:tooMany", { seconds: error.retryAfter ?? 60 });
  if (error.status >= 500) {
    return t("errors:server", { requestId: error.problem.request_id ?? "—" });
  }
  return error.problem.detail ?? error.problem.title;
}

interface FormTarget<T extends FieldValues> {
  setError: UseFormSetError<T>;
  /** The form's field names: errors on other fields go to the banner (`root.server`). */
  fields: readonly Path<T>[];
}

/**
 * Show an error where the person will look for it. With a form, field errors land on their fields and the
 * rest in the form's `root.server` error; without one, in a toast.
 */
export function showError<T extends FieldValues>(error: unknown, form?: FormTarget<T>): void {
  if (!form) {
    toast.error(errorMessage(error));
    return;
  }
  const fieldErrors = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  let placed = 0;
  for (const fieldError of fieldErrors) {
    const field = fieldError.field as Path<T>;
    if (form.fields.includes(field)) {
      form.setError(field, { type: "server", message: fieldMessage(fieldError) }, { shouldFocus: placed === 0 });
      placed += 1;
    }
  }
  if (placed < fieldErrors.length || fieldErrors.length === 0) {
    form.setError("root.server" as Path<T>, { type: "server", message: errorMessage(error) });
  }
}
