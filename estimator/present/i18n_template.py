"""The translators' template, ``locales/messages.pot``: every message a reader may see, in English.

What is in it: every ``t("...")`` and ``tn("...", "...", n)`` of the code (``estimator/`` and
``dashboard.py``), found as translators' tools find them (Babel's extractor, keywords ``t`` and
``tn`` with its singular and plural); the model's own words and the templates of the texts it writes
with numbers in them (``model_words.model_texts``); the presets' names and descriptions and those of
their fixes (``model_words.preset_texts``). Not in it: the presets' sources (``locales/<code>/sources.po``,
``i18n.source``), which are the presets' data, translated where the deck shows them.

Each message names the files it comes from, without line numbers, so the template changes only when a
message does. Placeholders are ``{name}`` fields: a translation keeps each field and drops its format
spec (``{count:,.0f}`` becomes ``{count}``), as the value arrives written the reader's way.

Regenerate it after adding or changing a message (``tests/test_i18n.py`` fails until it is current)::

    python -m estimator.present.i18n_template

Add a language (Swedish, say):

1. ``python -m estimator.present.i18n_template init sv`` copies the template to
   ``locales/sv/messages.po`` with the language's ``Plural-Forms`` header (CLDR's, through Babel);
2. translate it (split it into files by area as ``locales/fi/`` is, if you like: each message in one
   file, every file with the same ``Plural-Forms``);
3. add the code and the language's own name to ``i18n.LANGUAGES`` (``"sv": "Svenska"``).

Numbers and dates need nothing more: they follow the language's CLDR data (``house_style``), unless
the product's house style for that language should differ, which is its one entry in
``house_style.HOUSE_STYLE``.
"""

from __future__ import annotations

import datetime
import io
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from .i18n import LOCALES
from .model_words import model_texts, preset_texts

#: The template, beside the languages' folders.
TEMPLATE = LOCALES / "messages.pot"
#: The project's folder: ``estimator/`` and ``dashboard.py`` are in it.
ROOT = Path(__file__).resolve().parents[2]
#: The functions whose arguments are messages, and which arguments (``tn``: the singular and the plural).
KEYWORDS: dict[str, tuple[int, ...] | None] = {"t": None, "tn": (1, 2)}
#: Where the model's and the presets' texts are gathered, as their place in the template.
GATHERED = "estimator/present/model_words.py"
HEADER = """\
# The messages of Cost of a Shrug, in English, for translators. Made by the code, not by hand:
#     python -m estimator.present.i18n_template
# A translation keeps each {field} and drops its format spec ({count:,.0f} -> {count})."""
#: The line of the header that changes at every regeneration.
DATED = "POT-Creation-Date:"


def source_files(root: Path = ROOT) -> list[Path]:
    """The Python files whose messages the template holds: the package's and the dashboard's."""
    dashboard = [root / "dashboard.py"] if (root / "dashboard.py").exists() else []
    return sorted([*dashboard, *(root / "estimator").rglob("*.py")])


def code_messages(path: Path) -> Iterator[tuple[str | tuple[str, str], int]]:
    """The messages a source file passes to ``t`` (a text) and ``tn`` (its singular and plural), each
    with its line.

    >>> sorted({m for m, _ in code_messages(Path(__file__).with_name("formatting.py"))})
    ['month {n}', 'n/a', 'not within the horizon', '{low} to {high}']
    """
    for lineno, message, _, _ in extract_from_file("python", path, keywords=KEYWORDS):
        if isinstance(message, (tuple, list)):
            singular, plural = (str(part or "") for part in message[:2])
            if singular:
                yield (singular, plural), lineno
        elif message:
            yield str(message), lineno


def template(root: Path = ROOT, created: datetime.datetime | None = None) -> Catalog:
    """The template as a Babel catalogue: every message with the files it is in, ``{fields}`` flagged."""
    catalog = Catalog(project="cost-of-a-shrug", header_comment=HEADER, creation_date=created, fuzzy=False)
    for path in source_files(root):
        where = path.relative_to(root).as_posix()
        for found, lineno in code_messages(path):
            catalog.add(found, locations=[(where, lineno)])
    gathered = (
        (model_texts(), "the model's own words (model_words.model_texts)"),
        (preset_texts(), "a preset's name or description (model_words.preset_texts)"),
    )
    for texts, what in gathered:
        for text in sorted(texts):
            catalog.add(text, locations=[(GATHERED, 0)], auto_comments=[what])  # 0: no line
    for message in catalog:
        message.flags.discard("python-format")  # "45% of visits" is no %-format; {fields} are python-brace-format
    return catalog


def render(catalog: Catalog) -> str:
    """A catalogue as its ``.pot``/``.po`` file's text: sorted by message, files without line numbers."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=120, sort_output=True, include_lineno=False)
    return buffer.getvalue().decode("utf-8")


def undated(text: str) -> str:
    """A template's text without the line of its creation date (what a comparison leaves out).

    >>> undated('msgstr ""|"POT-Creation-Date: 2026-01-02 03:04+0000"|"MIME-Version: 1.0"'.replace("|", chr(10)))
    'msgstr ""\\n"MIME-Version: 1.0"'
    """
    return "".join(line for line in text.splitlines(keepends=True) if not line.strip('"').startswith(DATED))


def write(path: Path = TEMPLATE) -> bool:
    """Regenerate the template; returns whether its messages changed (its date alone is not a change:
    an unchanged template is left as it is)."""
    text = render(template())
    if path.exists() and undated(path.read_text(encoding="utf-8")) == undated(text):
        return False
    path.write_text(text, encoding="utf-8")
    return True


def init(code: str, folder: Path = LOCALES) -> Path:
    """A new language's catalogue, ``locales/<code>/messages.po``: the template with the language's
    header (its ``Language`` and CLDR's ``Plural-Forms``) and every translation still to write."""
    target = folder / code / "messages.po"
    if (folder / code).exists():
        raise FileExistsError(f"{folder / code} exists: its catalogues are already begun")
    with TEMPLATE.open("rb") as handle:
        messages = list(read_po(handle))
    name = Locale.parse(code).get_display_name("en")
    header = f"# {name} for every message of Cost of a Shrug, begun from locales/messages.pot."
    catalog = Catalog(locale=code, project="cost-of-a-shrug", header_comment=header, fuzzy=False)
    for message in messages:
        if message.id:
            catalog.add(
                message.id, locations=message.locations, flags=message.flags, auto_comments=message.auto_comments
            )
    target.parent.mkdir(parents=True)
    target.write_text(render(catalog), encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m estimator.present.i18n_template [init CODE]``: regenerate the template, or begin a language."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["init"] and len(args) == 2:
        print(f"wrote {init(args[1])}: translate it, then add {args[1]!r} to i18n.LANGUAGES")
        return 0
    if args:
        print((__doc__ or "").split("\n\n")[0] + "\nusage: python -m estimator.present.i18n_template [init CODE]")
        return 2
    print(f"{TEMPLATE}: {'regenerated' if write() else 'already current'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
