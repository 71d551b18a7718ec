"""Sequential colour palettes for choropleth maps, readable with colour-vision deficiencies (pure).

Each palette is a path through a few anchor colours of decreasing lightness. A palette of ``k``
steps takes ``k`` points on that path at *evenly spaced CIE L\\* lightness*: the order of the
classes then reads from lightness alone, which every form of colour blindness and a greyscale
print preserve; the hue change (yellow → green → blue, or yellow → orange → brown) adds
separation for those who see it. Interpolation happens in CIE Lab, so steps look even.

White is kept for missing values on maps: the lightest step is a pale tint, never white.
"""

from __future__ import annotations

#: Anchors of each palette, lightest first (sRGB hex). L* decreases strictly along each list.
ANCHORS: dict[str, tuple[str, ...]] = {
    # pale yellow → green → teal → blue → deep navy
    "bleu": ("#fbf6c1", "#b8e1a6", "#5fbcac", "#2f88b8", "#2c4d98", "#1c1d57"),
    # pale yellow → orange → rust → brown
    "brun": ("#fdf1c6", "#f9c77c", "#ec8c43", "#c4561f", "#883115", "#4a1b0b"),
}
DEFAULT = "bleu"
MIN_STEPS, MAX_STEPS = 1, 9


def sequential(k: int, name: str = DEFAULT) -> list[str]:
    """``k`` colours (hex), lightest first, from palette ``name``."""
    if not MIN_STEPS <= k <= MAX_STEPS:
        raise ValueError(f"nombre de classes hors limites : {k} (de {MIN_STEPS} à {MAX_STEPS})")
    try:
        anchors = [hex_to_lab(h) for h in ANCHORS[name]]
    except KeyError:
        raise ValueError(f"palette inconnue : {name!r} (palettes : {', '.join(ANCHORS)})") from None
    light, dark = anchors[0][0], anchors[-1][0]
    if k == 1:
        targets = [(light + dark) / 2]
    else:
        # keep a margin at both ends: the extremes of the path are too close to white and black
        top, bottom = light - 4, dark + 4
        targets = [top + (bottom - top) * i / (k - 1) for i in range(k)]
    return [lab_to_hex(_at_lightness(anchors, target)) for target in targets]


def for_polarity(k: int, polarity: str, name: str = DEFAULT) -> list[str]:
    """Colours of ``k`` ascending classes so that *darker always means less favourable*: lightest
    first for adverse and neutral indicators, darkest first for favourable ones (higher is better)."""
    colours = sequential(k, name)
    return colours[::-1] if polarity == "favourable" else colours


def _at_lightness(anchors: list[tuple[float, float, float]], target: float) -> tuple[float, float, float]:
    for (l1, a1, b1), (l2, a2, b2) in zip(anchors, anchors[1:]):
        if l1 >= target >= l2:
            t = 0.0 if l1 == l2 else (l1 - target) / (l1 - l2)
            return (l1 + (l2 - l1) * t, a1 + (a2 - a1) * t, b1 + (b2 - b1) * t)
    return anchors[0] if target > anchors[0][0] else anchors[-1]


# --- colour spaces (sRGB, D65) ----------------------------------------------------------------------

_WHITE = (0.95047, 1.0, 1.08883)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    return 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a hex colour (0 black … 1 white)."""
    r, g, b = (_linear(c) for c in hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two hex colours (1 … 21)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hex_to_lab(colour: str) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in hex_to_rgb(colour))
    x = 0.4124 * r + 0.3576 * g + 0.1805 * b
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = 0.0193 * r + 0.1192 * g + 0.9505 * b

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x / _WHITE[0]), f(y / _WHITE[1]), f(z / _WHITE[2])
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def lab_to_hex(lab: tuple[float, float, float]) -> str:
    lightness, a, b = lab
    fy = (lightness + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def g(t: float) -> float:
        return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)

    x, y, z = g(fx) * _WHITE[0], g(fy) * _WHITE[1], g(fz) * _WHITE[2]
    r = 3.2406 * x - 1.5372 * y - 0.4986 * z
    gr = -0.9689 * x + 1.8758 * y + 0.0415 * z
    bl = 0.0557 * x - 0.2040 * y + 1.0570 * z
    channels = [min(max(_gamma(c), 0.0), 1.0) for c in (r, gr, bl)]
    return "#" + "".join(f"{round(c * 255):02x}" for c in channels)
