import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderPage } from "@/test/render";
import PostPage from "./PostPage";
import { author, comment, post } from "./posts/testData";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";
import type { Post } from "./posts/queries";

function show(shown: Post, extra: Parameters<typeof mockApi>[0] = {}) {
  const calls = mockApi({
    "GET /network/api/v1/auth/me": [200, me],
    [`GET /network/api/v1/posts/${shown.id}`]: [200, shown],
    [`GET /network/api/v1/posts/${shown.id}/comments`]: [200, { items: [comment()], next_cursor: null }],
    ...extra,
  });
  renderPage(<PostPage />, { at: `/network/p/${shown.id}`, path: "/network/p/:postId" });
  return calls;
}

const unsafe = (calls: ReturnType<typeof mockApi>) => calls.filter((call) => call.method !== "GET");

describe("PostPage", () => {
  beforeEach(signInToNetwork);
  afterEach(signOutOfNetwork);

  it("shows the image with its alt text, the author, the caption's links and the location", async () => {
    show(post());
    expect(await screen.findByRole("img", { name: "A harbour" })).toHaveAttribute("src", "/m/1.jpg");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("grace");
    expect(screen.getByRole("link", { name: "#sea" })).toHaveAttribute("href", "/network/explore/tags/sea");
    expect(screen.getByRole("link", { name: "@ada" })).toHaveAttribute("href", "/network/ada");
    expect(screen.getByText("Genoa")).toBeInTheDocument();
    expect(await screen.findByText("Lovely")).toBeInTheDocument();
  });

  it("names the people tagged on it, each a link to their profile", async () => {
    const tagged = (username: string) => ({
      person: { ...author, id: username, username },
      media_position: 0,
      x: 0.5,
      y: 0.5,
    });
    show(post({ user_tags: [tagged("ada"), tagged("bob")] }));
    expect((await screen.findByRole("link", { name: "ada" })).closest("p")).toHaveTextContent("With ada, bob");
    expect(screen.getByRole("link", { name: "ada" })).toHaveAttribute("href", "/network/ada");
    expect(screen.getByRole("link", { name: "bob" })).toHaveAttribute("href", "/network/bob");
  });

  it("likes, then unlikes, with the server's count", async () => {
    const calls = show(post(), {
      "POST /network/api/v1/posts/500/like": [200, { liked: true, like_count: 5 }],
      "DELETE /network/api/v1/posts/500/like": [200, { liked: false, like_count: 4 }],
    });
    const heart = await screen.findByRole("button", { name: "Like" });
    expect(heart).toHaveAttribute("aria-pressed", "false");
    expect(screen.getByText("4 likes")).toBeInTheDocument();
    await userEvent.click(heart);
    expect(await screen.findByText("5 likes")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Like" })).toHaveAttribute("aria-pressed", "true");
    await userEvent.click(screen.getByRole("button", { name: "Like" }));
    expect(await screen.findByText("4 likes")).toBeInTheDocument();
    expect(unsafe(calls).map((call) => `${call.method} ${call.path}`)).toEqual([
      "POST /network/api/v1/posts/500/like",
      "DELETE /network/api/v1/posts/500/like",
    ]);
  });

  it("replies to a comment with reply_to", async () => {
    const calls = show(post(), {
      "POST /network/api/v1/posts/500/comments": [201, comment({ id: "701", parent_id: "700", text: "@ada thanks" })],
    });
    await userEvent.click(await screen.findByRole("button", { name: "Reply to ada" }));
    const box = screen.getByRole("textbox", { name: "Add a comment" });
    expect(box).toHaveValue("@ada ");
    await userEvent.type(box, "thanks");
    await userEvent.click(screen.getByRole("button", { name: "Post" }));
    await screen.findByText("Lovely");
    expect(unsafe(calls)).toEqual([
      {
        method: "POST",
        path: "/network/api/v1/posts/500/comments",
        body: { text: "@ada thanks", reply_to: "700" },
      },
    ]);
  });

  it("steps through a carousel with next, previous and dots", async () => {
    const media = [0, 1, 2].map((position) => ({
      id: String(position + 10),
      position,
      url: `/m/${position}.jpg`,
      thumbnail_url: `/t/${position}.jpg`,
      width: 1080,
      height: 1080,
      alt_text: `Image ${position}`,
      media_type: "image" as const,
      video_url: null,
      duration_ms: null,
    }));
    show(post({ media }));
    expect(await screen.findByRole("img", { name: "Image 0" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Previous image" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Next image" }));
    expect(screen.getByRole("img", { name: "Image 1" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Show image 3" }));
    expect(screen.getByRole("img", { name: "Image 2" })).toBeInTheDocument();
  });

  it("lets the post's owner hide or delete a comment from its … menu", async () => {
    const calls = show(post({ author: { ...post().author, id: me.id, username: "ada" } }), {
      "DELETE /network/api/v1/comments/700": [204, null],
    });
    const user = userEvent.setup();
    (await screen.findByRole("button", { name: "Comment options" })).focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("menuitem", { name: "Hide" })).toBeInTheDocument();
    await user.click(screen.getByRole("menuitem", { name: "Delete" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Delete comment?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() =>
      expect(unsafe(calls)).toEqual([{ method: "DELETE", path: "/network/api/v1/comments/700", body: undefined }]),
    );
  });
});
