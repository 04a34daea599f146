import { describe, expect, it } from "vitest";
import { safeNext } from "./safeNext";

describe("safeNext", () => {
  it("keeps a path of this site, with its query and hash", () => {
    expect(safeNext("/w/abc/settings/team?tab=1#x")).toBe("/w/abc/settings/team?tab=1#x");
  });

  it.each([null, "", "w/abc", "//evil.example/x", "/\\evil.example", "https://evil.example/", "/\t/evil.example"])(
    "falls back to / for %j",
    (next) => {
      expect(safeNext(next)).toBe("/");
    },
  );
});
