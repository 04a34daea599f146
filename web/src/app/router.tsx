/**
 * Every page of the app. Pages load lazily, so each route downloads only its own code; a feature adds its
 * pages here. A page module's default export is its component.
 */
import { createBrowserRouter, type RouteObject } from "react-router";
import { RequireSession, RootRedirect } from "./guards";
import { NotFoundPage, RouteError } from "./NotFoundPage";

type PageModule = Promise<{ default: React.ComponentType }>;
const page = (load: () => PageModule): Pick<RouteObject, "lazy"> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

export const routes: RouteObject[] = [
  {
    errorElement: <RouteError />,
    // Lazy pages load after the first render; until then the page stays blank (it takes milliseconds).
    HydrateFallback: () => null,
    children: [
      { path: "/", element: <RootRedirect /> },
      // Pages for people who are not signed in (or who follow a mailed link).
      { path: "/signin", ...page(() => import("@/features/auth/SignInPage")) },
      { path: "/signup", ...page(() => import("@/features/auth/SignUpPage")) },
      { path: "/forgot-password", ...page(() => import("@/features/auth/ForgotPasswordPage")) },
      { path: "/reset-password", ...page(() => import("@/features/auth/ResetPasswordPage")) },
      { path: "/verify-email", ...page(() => import("@/features/auth/VerifyEmailPage")) },
      { path: "/invitations/:token", ...page(() => import("@/features/auth/AcceptInvitationPage")) },
      {
        element: <RequireSession />,
        children: [
          { path: "/welcome", ...page(() => import("@/features/shell/WelcomePage")) },
          {
            path: "/w/:workspaceId",
            ...page(() => import("@/features/shell/AppShell")),
            children: [
              { index: true, ...page(() => import("@/features/home/HomePage")) },
              { path: "settings/profile", ...page(() => import("@/features/account/ProfilePage")) },
              { path: "settings/security", ...page(() => import("@/features/account/SecurityPage")) },
              { path: "settings/notifications", ...page(() => import("@/features/account/NotificationsPage")) },
              { path: "settings/workspace", ...page(() => import("@/features/workspace/WorkspaceSettingsPage")) },
              { path: "settings/team", ...page(() => import("@/features/workspace/TeamPage")) },
              { path: "settings/audit", ...page(() => import("@/features/workspace/AuditPage")) },
            ],
          },
        ],
      },
      // The Sandbox network: its own people and session (src/network), apart from the suite's.
      { path: "/network/signin", ...page(() => import("@/network/NetworkSignInPage")) },
      { path: "/network/signup", ...page(() => import("@/network/NetworkSignUpPage")) },
      {
        path: "/network",
        ...page(() => import("@/network/NetworkLayout")),
        children: [
          { index: true, ...page(() => import("@/network/NetworkHomePage")) },
          { path: "search", ...page(() => import("@/network/SearchPage")) },
          { path: "requests", ...page(() => import("@/network/FollowRequestsPage")) },
          { path: "settings/profile", ...page(() => import("@/network/EditProfilePage")) },
          { path: "settings/apps", ...page(() => import("@/network/ConnectedAppsPage")) },
          // OAuth's consent page: /network/oauth/authorize (the server) sends people here.
          { path: "authorize", ...page(() => import("@/network/ConsentPage")) },
          { path: "new", ...page(() => import("@/network/ComposePage")) },
          { path: "p/:postId", ...page(() => import("@/network/PostPage")) },
          { path: "explore/tags/:name", ...page(() => import("@/network/HashtagPage")) },
          { path: "notifications", ...page(() => import("@/network/NotificationsPage")) },
          { path: "stories/:username", ...page(() => import("@/network/StoryViewerPage")) },
          { path: "messages", ...page(() => import("@/network/InboxPage")) },
          { path: "messages/:threadId", ...page(() => import("@/network/ConversationPage")) },
          { path: ":username", ...page(() => import("@/network/ProfilePage")) },
          { path: ":username/followers", ...page(() => import("@/network/FollowersPage")) },
          { path: ":username/following", ...page(() => import("@/network/FollowingPage")) },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
