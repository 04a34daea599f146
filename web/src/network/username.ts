/**
 * Instagram's username rules, as the server checks them (network/social/schemas.py): at most 30 letters,
 * numbers, dots and underscores; no dot first or last, and no two dots in a row. Checked here before sending.
 */
import type { TFunction } from "i18next";
import { z } from "zod";

export const MAX_USERNAME_LENGTH = 30;

export function usernameField(t: TFunction<"network">) {
  return z
    .string()
    .trim()
    .min(1, t("validation.usernameRequired"))
    .max(MAX_USERNAME_LENGTH, t("validation.usernameTooLong", { max: MAX_USERNAME_LENGTH }))
    .regex(/^[A-Za-z0-9._]*$/, t("validation.usernameCharacters"))
    .refine((value) => !value.startsWith(".") && !value.endsWith("."), t("validation.usernameDotEdge"))
    .refine((value) => !value.includes(".."), t("validation.usernameDoubleDot"));
}
