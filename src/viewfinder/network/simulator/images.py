"""Generated photos for simulated posts: a small palette of abstract pictures per topic, painted with Pillow in
the topic's colours and passed through the posts service's own image preparation, so that they have exactly the
sizes an upload would (full image at most 1080 px wide, 320 px thumbnail) and are the same kind of JPEG.

A palette is made once per process and shared by every post (each post still stores the bytes under its own
keys, so deleting one post removes only its files): painting and encoding a 1080 px picture takes tens of
milliseconds, too long to do for each of thousands of posts.
"""

from __future__ import annotations

import io
import random
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from viewfinder.kit.images import FULL_WIDTH, PreparedImage, prepare_image
from viewfinder.network.simulator.vocabulary import TOPICS

VARIANTS = 6
# Square, portrait (4:5) and landscape, as Instagram crops them.
SHAPES = ((FULL_WIDTH, FULL_WIDTH), (FULL_WIDTH, 1350), (FULL_WIDTH, 720))


@cache
def palette_image(topic: int, variant: int) -> PreparedImage:
    """One picture of the topic's palette; the same arguments paint the same picture."""
    rng = random.Random(f"{TOPICS[topic].name}-{variant}")  # noqa: S311 - pictures, not secrets
    colours = list(TOPICS[topic].colours)
    rng.shuffle(colours)
    full_size = SHAPES[variant % len(SHAPES)]
    # Painted at a quarter of the size and enlarged: soft shapes lose nothing, and it is ten times cheaper.
    width, height = full_size[0] // 4, full_size[1] // 4
    gradient = Image.linear_gradient("L").rotate(rng.choice((0, 45, 90, 135)), expand=False)
    background = ImageOps.colorize(gradient.resize((width, height)), colours[0], colours[1]).convert("RGB")
    draw = ImageDraw.Draw(background, "RGBA")
    for _ in range(rng.randint(3, 7)):
        colour = (*rng.choice(colours[1:]), rng.randint(90, 200))
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randint(width // 12, width // 3)
        if rng.random() < 0.6:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
        else:
            draw.rectangle((x - radius, y - radius // 2, x + radius, y + radius // 2), fill=colour)
    picture = background.filter(ImageFilter.GaussianBlur(rng.choice((0, 1, 2)))).resize(
        full_size, Image.Resampling.BICUBIC
    )
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=92)
    return prepare_image(out.getvalue())


def warm_palette(pairs: set[tuple[int, int]]) -> None:
    """Paint the pictures a run needs in threads (Pillow releases the GIL while it encodes and resizes)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda pair: palette_image(*pair), sorted(pairs)))
