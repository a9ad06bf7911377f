"""Small copies of photos, for pages that show several at once."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

# The longest side, in pixels: twice what pages draw, for sharp screens.
THUMBNAIL_PX = 320
THUMBNAIL_TYPE = "image/jpeg"


def small_copy(content: bytes, *, longest_side: int = THUMBNAIL_PX) -> bytes:
    """A JPEG of the photo `content` whose longest side is at most `longest_side` pixels,
    turned upright; a transparent photo is laid on white.

    A JPEG is decoded straight at a reduced scale (`draft`), so a large photo costs little.
    """
    box = (longest_side, longest_side)
    with Image.open(io.BytesIO(content)) as original:
        original.draft("RGB", box)
        image = ImageOps.exif_transpose(original)
        image.thumbnail(box)
        if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
            rgba = image.convert("RGBA")
            image = Image.new("RGB", rgba.size, "white")
            image.paste(rgba, mask=rgba.getchannel("A"))
        elif image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
        return out.getvalue()
