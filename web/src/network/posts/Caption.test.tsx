import { screen } from "@testing-library/react";
import { renderPage } from "@/test/render";
import { Caption } from "./Caption";

describe("Caption", () => {
  it("links the server's hashtags and mentions and keeps the rest as text", () => {
    renderPage(
      <p data-testid="caption">
        <Caption
          text="Sunset #sea with @ada and #nope"
          entities={[
            { kind: "mention", start: 17, end: 21, value: "ada" },
            { kind: "hashtag", start: 7, end: 11, value: "sea" },
          ]}
        />
      </p>,
    );
    expect(screen.getByTestId("caption")).toHaveTextContent("Sunset #sea with @ada and #nope");
    expect(screen.getByRole("link", { name: "#sea" })).toHaveAttribute("href", "/network/explore/tags/sea");
    expect(screen.getByRole("link", { name: "@ada" })).toHaveAttribute("href", "/network/ada");
    // Only what the server located is a link: no parsing in the client.
    expect(screen.getAllByRole("link")).toHaveLength(2);
  });

  it("counts offsets in code points, as the server does (an emoji is one character)", () => {
    renderPage(
      <p data-testid="caption">
        <Caption text="🌅 #Sea" entities={[{ kind: "hashtag", start: 2, end: 6, value: "sea" }]} />
      </p>,
    );
    expect(screen.getByRole("link", { name: "#Sea" })).toHaveAttribute("href", "/network/explore/tags/sea");
    expect(screen.getByTestId("caption")).toHaveTextContent("🌅 #Sea");
  });
});
