"""Text that fits its box on a slide, without auto-fit (which PowerPoint and LibreOffice do
differently): the lines a text takes are counted from Calibri's advance widths (Carlito, which
LibreOffice uses, has the same), and font sizes shrink together until the text fits.
"""

from __future__ import annotations

from collections.abc import Sequence

from pptx.dml.color import RGBColor
from pptx.util import Pt

INSET = 14.4  # points: a text frame's (or table cell's) left + right insets; top + bottom are half that
LINE = 1.22  # line height in ems of Calibri / Carlito
# Advance widths in ems (others 0.6): each group's widest, bold; a line comes out 3-6% too long, to spare.
_WIDTHS = {
    ch: em * 0.96
    for chars, em in (
        (" 'ijl,I.:;`·", 0.27),
        ("()[]{}-fJ!tr", 0.36),
        ('/\\sz"Lc', 0.44),
        ("xvykFS|?ZgaTYEe#*+<=>^_~0123456789$€£−×–•★", 0.51),
        ("PXKCRBbdhnpquo", 0.57),
        ("VADHGUNOQ&%", 0.71),
        ("w", 0.75),
        ("mMW@→", 0.91),
    )
    for ch in chars
}


def lines(text: str, size: float, width: float) -> int:
    """Lines ``text`` takes at ``size`` pt in a frame ``width`` pt wide, wrapped at spaces (a word wider
    than the line is broken), as PowerPoint and LibreOffice wrap it."""
    room, count = (width - INSET) / size, 0
    for paragraph in text.split("\n"):
        count, used = count + 1, -_WIDTHS[" "]
        for w in (sum(_WIDTHS.get(ch, 0.6) for ch in word) for word in paragraph.split(" ")):
            used += _WIDTHS[" "] + w
            if used > room and used - w > _WIDTHS[" "]:  # it does not fit after the words before it
                count, used = count + 1, w
            while used > room:  # a word wider than the line is broken
                count, used = count + 1, used - room
    return count


def shrink(paragraphs: Sequence[tuple[str, float]], box: tuple, space: float = 0.0) -> float:
    """The factor (1 down to 0.6) by which the ``(text, size)`` paragraphs' sizes shrink to fit ``box``."""
    scale, width, height = 1.0, box[2] / 12_700, box[3] / 12_700 - INSET / 2 - space * (len(paragraphs) - 1)
    while scale > 0.6 and sum(lines(t, s * scale, width) * LINE * s * scale for t, s in paragraphs) > height:
        scale -= 0.05
    return scale


def text_box(slide, box: tuple, paragraphs: Sequence[tuple[str, float, bool, RGBColor | None]], space: float = 0.0):
    """A wrapping text box of ``(text, size, bold, colour)`` paragraphs, scaled down together to fit it."""
    scale = shrink([(text, size) for text, size, _, _ in paragraphs], box, space)
    frame = slide.shapes.add_textbox(*box).text_frame
    frame.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size, paragraph.font.bold, paragraph.space_after = Pt(int(size * scale * 2) / 2), bold, Pt(space)
        if colour is not None:
            paragraph.font.color.rgb = colour
