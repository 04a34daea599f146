/** Answers the tests of these pages share. */
import { makeAccount } from "@/test/fixtures";

export const account = makeAccount({
  id: "11111111-1111-4111-8111-111111111111",
  email_verified_at: null,
  email_verified: false,
  timezone: "UTC",
  created_at: "2025-01-01T00:00:00Z",
});

export const tokens = { access_token: "a", refresh_token: "r", token_type: "bearer", expires_in: 900 };

export const signedOut = { type: "unauthorized", title: "Sign-in required", status: 401, detail: "Sign in first." };

/** `GET /auth/me` that answers 401 until `signIn()` is called, as the cookies of a real login would make it. */
export function sessionState(initiallySignedIn = false) {
  let signedIn = initiallySignedIn;
  return {
    signIn: () => {
      signedIn = true;
    },
    me: (): [number, unknown] => (signedIn ? [200, account] : [401, signedOut]),
  };
}

/** A browser without a session: `/auth/me` and the refresh it triggers both answer 401. */
export const signedOutApi: Record<string, [number, unknown]> = {
  "GET /api/v1/auth/me": [401, signedOut],
  "POST /api/v1/auth/refresh": [401, signedOut],
};
