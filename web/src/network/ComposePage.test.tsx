import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockApi, renderWithApp } from "@/test/render";
import ComposePage, { countHashtags } from "./ComposePage";
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
  });
});

describe("countHashtags", () => {
  it("counts the hashtags as one types", () => {
    expect(countHashtags("#one two #three a#not")).toBe(2);
  });
});
