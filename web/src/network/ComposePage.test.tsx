import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import i18n from "@/i18n";
import { mockApi, renderWithApp } from "@/test/render";
import ComposePage, { countHashtags, usernamesIn } from "./ComposePage";
import { checkSingleFile, parseKind } from "./posts/composeKinds";
import { postFormData } from "./posts/queries";
import { post } from "./posts/testData";
import { me, signInToNetwork, signOutOfNetwork } from "./testData";

const image = (name: string) => new File(["img"], name, { type: "image/png" });

/** Records what fetch was asked: mockApi reads bodies as JSON, and this one is multipart. */
function mockCreate(answer: [number, unknown]) {
  mockApi({ "GET /network/api/v1/auth/me": [200, me] });
  const answerMe = globalThis.fetch;
  const posted: Request[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    if (request.method !== "POST") return answerMe(request);
    posted.push(request);
    return new Response(JSON.stringify(answer[1]), {
      status: answer[0],
      headers: { "content-type": answer[0] >= 400 ? "application/problem+json" : "application/json" },
    });
  }) as typeof fetch;
  return posted;
}

function show() {
  return renderWithApp(
    [
      { path: "/network/new", element: <ComposePage /> },
      { path: "/network/p/:postId", element: <p>Post page</p> },
    ],
    { at: "/network/new" },
  );
}

describe("ComposePage", () => {
  beforeEach(() => {
    signInToNetwork();
    URL.createObjectURL = vi.fn(() => "blob:preview");
    URL.revokeObjectURL = vi.fn();
  });
  afterEach(signOutOfNetwork);

  it("refuses to post without an image", async () => {
    const posted = mockCreate([201, post()]);
    show();
    await userEvent.click(await screen.findByRole("button", { name: "Share" }));
    expect(await screen.findByText("Choose at least one image.")).toBeInTheDocument();
    expect(posted).toHaveLength(0);
  });

  it("refuses eleven images", async () => {
    const posted = mockCreate([201, post()]);
    show();
    const files = Array.from({ length: 11 }, (_, index) => image(`${index}.png`));
    await userEvent.upload(await screen.findByLabelText("Choose images"), files);
    expect(await screen.findByText("Choose at most 10 images: you chose 11.")).toBeInTheDocument();
    expect(screen.queryByRole("img")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Share" }));
    expect(posted).toHaveLength(0);
  });

  it("posts the images, alt texts, caption and location, then opens the new post", async () => {
    const posted = mockCreate([201, post({ id: "900" })]);
    show();
    await userEvent.upload(await screen.findByLabelText("Choose images"), [image("a.png"), image("b.png")]);
    expect(screen.getAllByRole("img")).toHaveLength(2);
    await userEvent.type(screen.getByLabelText("Alt text for image 1"), "A boat");
    await userEvent.type(screen.getByLabelText("Caption"), "At sea #boat");
    expect(screen.getByText("12/2,200 · #1/30")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Location"), "Genoa");
    await userEvent.click(screen.getByRole("button", { name: "Share" }));
    expect(await screen.findByText("Post page")).toBeInTheDocument();
    expect(posted).toHaveLength(1);
    const request = posted[0]!;
    expect(new URL(request.url).pathname).toBe("/network/api/v1/posts");
    expect(request.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    const body = await request.formData();
    expect(body.getAll("alt_texts")).toEqual(["A boat", ""]);
    expect(body.getAll("files")).toHaveLength(2);
    expect(body.get("caption")).toBe("At sea #boat");
    expect(body.get("location")).toBe("Genoa");
    // Previews are let go once the page is gone.
    await waitFor(() => expect(URL.revokeObjectURL).toHaveBeenCalledWith("blob:preview"));
  });

  it("shows a server error about one file next to that image", async () => {
    mockCreate([
      422,
      {
        type: "invalid-input",
        title: "Invalid input",
        status: 422,
        errors: [{ field: "files[1]", message: "This file is not an image.", code: "invalid_image" }],
      },
    ]);
    show();
    await userEvent.upload(await screen.findByLabelText("Choose images"), [image("a.png"), image("b.png")]);
    await userEvent.click(screen.getByRole("button", { name: "Share" }));
    const alert = await screen.findByText("This file is not an image.");
    expect(alert.closest("li")).toHaveTextContent("b.png");
  });
});

describe("postFormData", () => {
  it("sends each file with its alt text, in order, and the caption and location", () => {
    const files = [image("a.png"), image("b.png")];
    const form = postFormData({ files, altTexts: ["A boat", ""], caption: "At sea", location: " Genoa " });
    expect(form.getAll("files").map((file) => (file as File).name)).toEqual(["a.png", "b.png"]);
    expect(form.getAll("alt_texts")).toEqual(["A boat", ""]);
    expect(form.get("caption")).toBe("At sea");
    expect(form.get("location")).toBe("Genoa");
  });

  it("leaves out an empty caption and location", () => {
    const form = postFormData({ files: [image("a.png")], altTexts: [""], caption: " ", location: "" });
    expect(form.has("caption")).toBe(false);
    expect(form.has("location")).toBe(false);
    expect(form.has("user_tags")).toBe(false);
  });

  it("tags people across the first image, and on a reel's video without a point", () => {
    const files = [image("a.png")];
    const form = postFormData({ files, altTexts: [""], caption: "", location: "", tagged: ["ada", "bob"] });
    expect(JSON.parse(form.get("user_tags") as string)).toEqual([
      { username: "ada", x: 0.333, y: 0.5 },
      { username: "bob", x: 0.667, y: 0.5 },
    ]);
    const clip = new File(["v"], "clip.mp4", { type: "video/mp4" });
    const reel = postFormData({
      kind: "reel",
      files: [clip],
      altTexts: [""],
      caption: "",
      location: "",
      tagged: ["ada"],
    });
    expect(JSON.parse(reel.get("user_tags") as string)).toEqual([{ username: "ada" }]);
  });
});

describe("usernamesIn", () => {
  it("reads usernames separated by spaces or commas, with or without @, each once", () => {
    expect(usernamesIn(" @ada, bob  ada,,@Carl.x ")).toEqual(["ada", "bob", "Carl.x"]);
    expect(usernamesIn("  ")).toEqual([]);
  });
});

describe("countHashtags", () => {
  it("counts the hashtags as one types", () => {
    expect(countHashtags("#one two #three a#not")).toBe(2);
  });
});

describe("ComposePage for reels and stories", () => {
  const video = (name: string, size = 3) => new File(["v".repeat(size)], name, { type: "video/mp4" });

  beforeEach(() => {
    signInToNetwork();
    URL.createObjectURL = vi.fn(() => "blob:preview");
    URL.revokeObjectURL = vi.fn();
  });
  afterEach(signOutOfNetwork);

  function showAt(at: string) {
    return renderWithApp(
      [
        { path: "/network/new", element: <ComposePage /> },
        { path: "/network/p/:postId", element: <p>Post page</p> },
        { path: "/network", element: <p>Home page</p> },
      ],
      { at },
    );
  }

  it("shares a reel: one MP4 with its preview, a cover, a caption, and kind=reel", async () => {
    const posted = mockCreate([201, post({ id: "901", kind: "reel" })]);
    show();
    await userEvent.click(await screen.findByRole("radio", { name: "Reel" }));
    expect(screen.getByRole("heading", { name: "New reel" })).toBeInTheDocument();
    const input = screen.getByLabelText("Choose a video");
    expect(input).toHaveAttribute("accept", "video/mp4,.mp4");
    expect(input).not.toHaveAttribute("multiple");
    expect(screen.getByText("One MP4 video, 3 to 90 seconds, at most 100 MB.")).toBeInTheDocument();
    await userEvent.upload(input, video("waves.mp4"));
    const preview = screen.getByLabelText("Preview of the video");
    expect(preview.tagName).toBe("VIDEO");
    expect(preview).toHaveAttribute("src", "blob:preview");
    await userEvent.upload(screen.getByLabelText("Cover image (optional)"), image("cover.png"));
    expect(screen.getByRole("img", { name: "Preview of the cover" })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Alt text"), "Waves");
    await userEvent.type(screen.getByLabelText("Caption"), "Surf #sea");
    await userEvent.click(screen.getByRole("button", { name: "Share reel" }));
    expect(await screen.findByText("Post page")).toBeInTheDocument();
    const body = await posted[0]!.formData();
    expect(body.get("kind")).toBe("reel");
    // (The request's multipart body, read back here, keeps the files but not their names.)
    expect(body.getAll("files")).toHaveLength(1);
    expect(body.getAll("poster")).toHaveLength(1);
    expect(body.getAll("alt_texts")).toEqual(["Waves"]);
    expect(body.get("caption")).toBe("Surf #sea");
  });

  it("refuses a reel that is not an MP4, or without a video, before sending anything", async () => {
    const posted = mockCreate([201, post()]);
    const user = userEvent.setup({ applyAccept: false });
    show();
    await user.click(await screen.findByRole("radio", { name: "Reel" }));
    await user.click(screen.getByRole("button", { name: "Share reel" }));
    expect(await screen.findByText("Choose an MP4 video for your reel.")).toBeInTheDocument();
    await user.upload(screen.getByLabelText("Choose a video"), image("photo.png"));
    expect(screen.getByText("photo.png is not an MP4 video.")).toBeInTheDocument();
    expect(screen.queryByLabelText("Preview of the video")).not.toBeInTheDocument();
    await user.upload(screen.getByLabelText("Cover image (optional)"), video("cover.mp4"));
    expect(screen.getByText("The cover must be a JPEG, PNG or WebP image.")).toBeInTheDocument();
    expect(screen.queryByRole("img", { name: "Preview of the cover" })).not.toBeInTheDocument();
    expect(posted).toHaveLength(0);
  });

  it("shows the server's refusal of a video next to it", async () => {
    mockCreate([
      422,
      {
        type: "invalid-input",
        title: "Invalid input",
        status: 422,
        errors: [
          {
            field: "files[0]",
            message: "This video is 2 minutes long: reels can be at most 90 seconds",
            code: "invalid_video",
          },
        ],
      },
    ]);
    show();
    await userEvent.click(await screen.findByRole("radio", { name: "Reel" }));
    await userEvent.upload(screen.getByLabelText("Choose a video"), video("long.mp4"));
    await userEvent.click(screen.getByRole("button", { name: "Share reel" }));
    const alert = await screen.findByText("This video is 2 minutes long: reels can be at most 90 seconds");
    expect(alert.closest("li")).toHaveTextContent("long.mp4");
  });

  it("shares a story chosen by the address: one image, no caption, kind=story, then home", async () => {
    const posted = mockCreate([201, post({ id: "902", kind: "story" })]);
    showAt("/network/new?kind=story");
    expect(await screen.findByRole("radio", { name: "Story" })).toBeChecked();
    expect(screen.getByRole("heading", { name: "New story" })).toBeInTheDocument();
    expect(screen.queryByLabelText("Caption")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Location")).not.toBeInTheDocument();
    await userEvent.upload(screen.getByLabelText("Choose an image or a video"), image("today.png"));
    expect(screen.getByRole("img", { name: "Preview of the story" })).toBeInTheDocument();
    // An image story has no cover to choose.
    expect(screen.queryByLabelText("Cover image (optional)")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Add to your story" }));
    expect(await screen.findByText("Home page")).toBeInTheDocument();
    const body = await posted[0]!.formData();
    expect(body.get("kind")).toBe("story");
    expect(body.getAll("files")).toHaveLength(1);
    expect(body.has("caption")).toBe(false);
    expect(body.has("poster")).toBe(false);
  });

  it("refuses a story of another type, and clears the choice when the kind changes", async () => {
    const posted = mockCreate([201, post()]);
    const user = userEvent.setup({ applyAccept: false });
    show();
    await user.upload(await screen.findByLabelText("Choose images"), [image("a.png"), image("b.png")]);
    expect(screen.getAllByRole("img")).toHaveLength(2);
    await user.click(screen.getByRole("radio", { name: "Story" }));
    expect(screen.queryAllByRole("img")).toHaveLength(0);
    await user.upload(
      screen.getByLabelText("Choose an image or a video"),
      new File(["gif"], "a.gif", { type: "image/gif" }),
    );
    expect(screen.getByText("a.gif is not an image or an MP4 video.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add to your story" }));
    expect(screen.getByText("Choose an image or a video for your story.")).toBeInTheDocument();
    expect(posted).toHaveLength(0);
  });
});

describe("checkSingleFile", () => {
  const t = i18n.getFixedT("en", "network");
  const mp4 = (name: string, size = 1) => new File([new Uint8Array(size)], name, { type: "video/mp4" });

  it("takes one MP4 for a reel, and one image or MP4 for a story", () => {
    expect(checkSingleFile("reel", [mp4("a.mp4")], t)).toBeUndefined();
    expect(checkSingleFile("story", [mp4("a.mp4")], t)).toBeUndefined();
    expect(checkSingleFile("story", [image("a.png")], t)).toBeUndefined();
    // Some systems give no type: the name tells then.
    expect(checkSingleFile("reel", [new File(["v"], "clip.MP4")], t)).toBeUndefined();
  });

  it("says what is wrong otherwise", () => {
    expect(checkSingleFile("reel", [mp4("a.mp4"), mp4("b.mp4")], t)).toBe("A reel is one video: you chose 2 files.");
    expect(checkSingleFile("story", [image("a.png"), image("b.png")], t)).toBe(
      "A story is one image or video: you chose 2 files.",
    );
    expect(checkSingleFile("reel", [image("a.png")], t)).toBe("a.png is not an MP4 video.");
    const big = mp4("big.mp4");
    Object.defineProperty(big, "size", { value: 150 * 1024 * 1024 });
    expect(checkSingleFile("reel", [big], t)).toBe("big.mp4 is 150 MB: a video can be at most 100 MB.");
  });

  it("reads the kind from the address", () => {
    expect(parseKind("story")).toBe("story");
    expect(parseKind("reel")).toBe("reel");
    expect(parseKind("carousel")).toBe("feed");
    expect(parseKind(null)).toBe("feed");
  });
});

describe("postFormData for reels", () => {
  it("sends the kind (a post's by default) and a reel's cover", () => {
    expect(postFormData({ files: [image("a.png")], altTexts: [""], caption: "", location: "" }).get("kind")).toBe(
      "feed",
    );
    const cover = image("cover.png");
    const form = postFormData({
      kind: "reel",
      files: [new File(["v"], "a.mp4", { type: "video/mp4" })],
      altTexts: [""],
      caption: "",
      location: "",
      poster: cover,
    });
    expect(form.get("kind")).toBe("reel");
    expect((form.get("poster") as File).name).toBe("cover.png");
  });
});
