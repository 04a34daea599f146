/** Rules of the account forms, checked in the browser before the server (which has the last word). */
import type { TFunction } from "i18next";
import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/passwords";

export const emailField = (t: TFunction<"auth">) =>
  z
    .string()
    .trim()
    .min(1, t("validation.emailRequired"))
    .pipe(z.email(t("validation.emailInvalid")));

/** A password being typed to sign in: any length the account has. */
export const currentPasswordField = (t: TFunction<"auth">) => z.string().min(1, t("validation.passwordRequired"));

/** A password being chosen. */
export const newPasswordField = (t: TFunction<"auth">) =>
  z
    .string()
    .min(1, t("validation.passwordRequired"))
    .min(MIN_PASSWORD_LENGTH, t("validation.passwordTooShort", { min: MIN_PASSWORD_LENGTH }));

export const nameField = (t: TFunction<"auth">) =>
  z
    .string()
    .trim()
    .min(1, t("validation.nameRequired"))
    .max(200, t("validation.nameTooLong", { max: 200 }));
