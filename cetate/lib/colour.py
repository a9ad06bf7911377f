"""The city's header colour, held to WCAG 2.1's contrast with the white text drawn on it.

The header, its links, the language switch and the map's accents are white on the city's
colour (and the colour on white), so the colour must reach 4.5:1 against white (WCAG 1.4.3).
A colour that does not is refused when the server starts, with the nearest darker shade that
does: a city's brand colour chosen by a designer should be changed knowingly, never silently.
"""

from __future__ import annotations

import re

from cetate.lib.env import ConfigurationError

HEX_COLOUR = re.compile(r"^#(?P<hex>[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
MINIMUM_CONTRAST = 4.5
WHITE = (255, 255, 255)


def parse_hex(text: str) -> tuple[int, int, int]:
    """(red, green, blue) of "#rrggbb" or "#rgb"; ValueError for anything else."""
    match = HEX_COLOUR.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a colour such as #7a1f1f")
    digits = match["hex"]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue


def as_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darkened_until_readable(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """The lightest shade of `rgb` (same hue, scaled towards black) that white text can sit on."""
    for step in range(100, -1, -1):
        shade = (rgb[0] * step // 100, rgb[1] * step // 100, rgb[2] * step // 100)
        if contrast_ratio(shade, WHITE) >= MINIMUM_CONTRAST:
            return shade
    return (0, 0, 0)


def header_colour(text: str, *, setting: str = "CITY_COLOUR") -> str:
    """`text` as "#rrggbb" when white text on it reaches 4.5:1; ConfigurationError otherwise."""
    try:
        rgb = parse_hex(text)
    except ValueError:
        raise ConfigurationError(f"{setting}={text!r}: expected a colour such as #7a1f1f") from None
    ratio = contrast_ratio(rgb, WHITE)
    if ratio < MINIMUM_CONTRAST:
        suggestion = as_hex(darkened_until_readable(rgb))
        raise ConfigurationError(
            f"{setting}={text!r}: white text on it has a contrast of {ratio:.2f}:1, below the "
            f"{MINIMUM_CONTRAST}:1 that WCAG 2.1 AA asks; a darker shade such as {suggestion} "
            "passes"
        )
    return as_hex(rgb)
