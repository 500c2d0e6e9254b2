"""Cut the theme's icon fonts down to the icons the built book uses.

The theme ships Font Awesome's full solid font (156 kB, already compressed, so gzip cannot
shrink it) although a page shows about twenty icons. After the build, :func:`subset_icon_fonts`
collects every icon the site can show (``fa-*`` classes in the pages and scripts, and icons that
style sheets draw by code point, such as admonition icons) and rewrites each font with only those
glyphs. The icons look the same; the first view of a page is about 150 kB lighter.
"""

from __future__ import annotations

import re
from pathlib import Path

FONT_DIR = Path("_static") / "vendor" / "fontawesome" / "webfonts"
# Catalogue rules of Font Awesome's CSS: ".fa-bars:before,.fa-navicon:before{content:"\f0c9"}"
_CATALOGUE = re.compile(r'((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:"\\([0-9a-f]{2,6})"\}')
_CLASS = re.compile(r"(?<![\w-])fa-[a-z0-9-]+")
# Icon fonts use the private use area; style sheets write those code points as CSS escapes
# ("\f05a") or as the characters themselves.
_PRIVATE_USE_ESCAPE = re.compile(r'"\\((?:e|f)[0-9a-f]{3})"')
_PRIVATE_USE_CHARACTER = re.compile("[\ue000-\uf8ff]")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def used_code_points(html_dir: Path) -> set[int]:
    """Code points of every icon the site can show."""
    html_dir = Path(html_dir)
    css_files = [p for p in (html_dir / "_static").rglob("*.css")]
    catalogue: dict[str, int] = {}
    drawn_by_css: set[int] = set()
    for path in css_files:
        text = _read(path)
        for selectors, code in _CATALOGUE.findall(text):
            for name in _CLASS.findall(selectors):
                catalogue[name] = int(code, 16)
        rest = _CATALOGUE.sub("", text)
        drawn_by_css.update(int(code, 16) for code in _PRIVATE_USE_ESCAPE.findall(rest))
        drawn_by_css.update(ord(char) for char in _PRIVATE_USE_CHARACTER.findall(rest))
    classes: set[str] = set()
    sources = list(html_dir.rglob("*.html")) + [p for p in (html_dir / "_static").rglob("*.js")
                                                 if "vendor" not in p.parts]
    for path in sources:
        classes.update(_CLASS.findall(_read(path)))
    return drawn_by_css | {catalogue[name] for name in classes if name in catalogue}


def subset_icon_fonts(html_dir: Path) -> dict[str, tuple[int, int]]:
    """Rewrite the icon fonts of a built site in place; return {file: (bytes before, after)}."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font_dir = Path(html_dir) / FONT_DIR
    if not font_dir.is_dir():
        return {}
    wanted = used_code_points(html_dir)
    sizes = {}
    for path in sorted(font_dir.iterdir()):
        if path.suffix not in (".woff2", ".ttf"):
            continue
        before = path.stat().st_size
        # recalcTimestamp=False: fontTools would write the time of saving into the font's head
        # table, and two builds of the same book would ship different fonts.
        font = TTFont(path, recalcTimestamp=False)
        available = set(font.getBestCmap())
        options = subset.Options()
        options.flavor = "woff2" if path.suffix == ".woff2" else None
        options.layout_features = ["*"]
        options.name_IDs = ["*"]  # keep the licence and copyright notices
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(wanted & available))
        subsetter.subset(font)
        font.flavor = options.flavor
        font.save(path)
        sizes[path.name] = (before, path.stat().st_size)
    return sizes
