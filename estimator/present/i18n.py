"""The words people read, in their language: English, Finnish, or any language with a catalogue.

Every text a reader sees is written in English in the code and passed through :func:`t` (or
:func:`tn` where it counts something); its translation lives in the gettext catalogue of the
reader's language, ``locales/<code>/*.po`` (one file per area of the product, read with Babel, no
build step). Every language is looked up the same way, English too: English is the source
language, so a message its catalogue lacks is the message itself and is not counted as missing
(English has no catalogue today; ``locales/en/*.po`` would hold copy edits). Which plural form a
count takes is the catalogue's own rule, its ``Plural-Forms`` header (gettext's English rule,
``n != 1``, for a language without a catalogue). The messages are listed for translators in ``locales/messages.pot``
(``i18n_template``: how to regenerate it, and how to add a language).

The language is the reader's, not the process's: it is held in a context variable, set once at
the start of each page run (``set_language``) or for a block of work (``with use("fi"):``), so
two visitors of one server can read two languages at once. Anything cached that makes text takes
the language as an argument, so a cache never serves one reader's words to another.

Placeholders are ``{name}`` fields filled by :func:`t`'s keywords; numbers in them are formatted
by the caller with ``formatting``, which follows the same language.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import re
import string
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .house_style import percent_affixes, symbols

#: The languages, by code, each named in itself (as a language picker shows it).
LANGUAGES: dict[str, str] = {"en": "English", "fi": "Suomi"}
DEFAULT = "en"
#: The language the messages are written in (the catalogues' msgids).
SOURCE = "en"

#: The gettext catalogues: ``locales/<code>/*.po``; the presets' sources in their own (``source``).
LOCALES = Path(__file__).with_name("locales")
SOURCES = "sources.po"

_language: ContextVar[str] = ContextVar("language", default=DEFAULT)

#: Texts asked for in a language whose catalogue lacks them (the tests keep this empty).
missing: set[str] = set()

Entry = str | tuple[str, ...]
#: The plural rule of a language without a catalogue (English): gettext's, ``nplurals=2; plural=(n != 1)``.
GETTEXT_PLURALS = (2, "(n != 1)")


@dataclass(frozen=True)
class Catalogue:
    """A language's messages (English message → its translation, or a plural's forms) and its plural rule."""

    messages: Mapping[str, Entry]
    #: The number of plural forms and the form a whole count takes (the ``Plural-Forms`` header).
    forms: int
    rule: Callable[[int], int]
    #: Whether this is the source language's, in which a message it lacks is the message itself.
    source: bool

    def form(self, count: float) -> int:
        """The index of the plural form ``count`` takes: the rule's for a whole count, the last form
        (the general plural) for a fraction, as 1.5 years.

        >>> [_catalogue("fi").form(n) for n in (1, 2, 1.0, 1.5)]
        [0, 1, 0, 1]
        """
        whole = float(count).is_integer()
        index = self.rule(int(count)) if whole else self.forms - 1
        return min(max(index, 0), self.forms - 1)


def language() -> str:
    """The current reader's language code (``en`` or ``fi``)."""
    return _language.get()


def set_language(code: str) -> str:
    """Make ``code`` the language of the rest of this run (a page run sets it first thing);
    an unknown code gives English. Returns the code in force."""
    code = code if code in LANGUAGES else DEFAULT
    _language.set(code)
    return code


@contextlib.contextmanager
def use(code: str) -> Iterator[str]:
    """The language for a block of work (a deck, a command), put back afterwards.

    >>> with use("fi"):
    ...     t("Revenue lost")
    'Menetetty myynti'
    >>> t("Revenue lost")
    'Revenue lost'
    """
    token = _language.set(code if code in LANGUAGES else DEFAULT)
    try:
        yield _language.get()
    finally:
        _language.reset(token)


def t(message: str, /, **values: object) -> str:
    """``message`` in the reader's language, with its ``{fields}`` filled from ``values``.

    >>> t("Revenue lost over {span}", span="3 years")
    'Revenue lost over 3 years'
    """
    text = _translated(_language.get(), message)
    return text.format(**values) if values else text


def tn(singular: str, plural: str, count: float, /, **values: object) -> str:
    """A text that counts something: the form the language's plural rule gives ``count``, with
    ``{fields}`` filled from ``values`` (``count`` is not filled in by itself).

    >>> tn("{n} year", "{n} years", 1, n=1), tn("{n} year", "{n} years", 3, n=3)
    ('1 year', '3 years')
    >>> with use("fi"):
    ...     tn("{n} year", "{n} years", 1, n=1), tn("{n} year", "{n} years", 3, n=3)
    ('1 vuosi', '3 vuotta')
    """
    found = _catalogue(_language.get())
    forms = found.messages.get(singular)
    if not (isinstance(forms, tuple) and all(forms)):
        _lacks(found, singular)
        found, forms = _catalogue(SOURCE), (singular, plural)
    text = forms[min(found.form(count), len(forms) - 1)]
    return text.format(**values) if values else text


def known(text: str) -> str:
    """``text`` in the reader's language if the catalogue has it, else as it is, without
    counting it as missing: for text that may be the reader's own (a scenario's name and
    description, which are a preset's until the reader renames it).

    >>> with use("fi"):
    ...     known("Revenue lost"), known("My own scenario")
    ('Menetetty myynti', 'My own scenario')
    """
    found = _catalogue(_language.get()).messages.get(text)
    return found if isinstance(found, str) and found else text


def say(text: str) -> str:
    """Text the model wrote (``estimator.model.inputs.text.Text``) in the reader's language: its
    template from the catalogue, filled with its values written the local way (a number
    formatted ``{x:,.0f}`` reads ``1 234`` in Finnish). Plain strings pass through ``known``.

    >>> from estimator.model.inputs.text import Text
    >>> note = Text("{n} unhappy a year", n=1234)
    >>> with use("fi"):
    ...     say(note)
    '1234 tyytymätöntä vuodessa'
    >>> say(note), say("My own scenario")
    ('1234 unhappy a year', 'My own scenario')
    """
    template, values = getattr(text, "template", None), getattr(text, "values", None)
    if template is None or values is None:
        return known(str(text))
    code = _language.get()
    specs = {name: spec or "" for _, name, spec, _ in string.Formatter().parse(template) if name is not None}
    out = []
    for literal, name, spec, _ in string.Formatter().parse(_translated(code, template)):
        out.append(literal)
        if name is not None:  # the spec where the text keeps it (English), else the template's
            out.append(_local_value(values[name], spec or specs.get(name, ""), code))
    return "".join(out)


def source(text: str) -> str:
    """A preset's source for a value (a study and where in it, or the reason for an assumption) in
    the reader's language: its translation in ``locales/<code>/sources.po``, keyed by the exact
    English text (titles of papers stay as published there); a source without one, or the reader's
    own, as it is written. Kept apart from the messages: a source is the presets' data, not the code's.

    >>> source("Assumption: a story is remembered for about a year.")
    'Assumption: a story is remembered for about a year.'
    >>> with use("fi"):
    ...     source("Assumption: a story is remembered for about a year."), source("My own note")
    ('Oletus: tarina muistetaan noin vuoden.', 'My own note')
    """
    return (_sources(LOCALES, _language.get()).get(text) or text) if text else text


def say_error(error: BaseException) -> str:
    """An error's message in the reader's language: the model's errors carry their ``Text`` as
    their first argument (``str(error)`` is the English line)."""
    first = error.args[0] if len(error.args) == 1 else None
    return say(first) if isinstance(first, str) and getattr(first, "template", None) is not None else say(str(error))


def _local_value(value: object, spec: str, code: str) -> str:
    """A value formatted by the model's format spec, then written with the language's CLDR
    separators, minus and percent sign (``1,234.5`` → ``1 234,5``; ``15%`` → ``15 %``).

    >>> _local_value(1234.5, ",.1f", "fi"), _local_value(0.15, ".0%", "fi"), _local_value(-2.5, "g", "fi")
    ('1\xa0234,5', '15\xa0%', '−2,5')
    >>> _local_value(1234.5, ",.1f", "en"), _local_value(0.15, ".0%", "en"), _local_value(-2.5, "g", "en")
    ('1,234.5', '15%', '-2.5')
    """
    if isinstance(value, str) and getattr(value, "template", None) is not None:  # a Text in a Text (a label, a place)
        return say(value)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return format(value, spec)
    marks = symbols(code)
    local = format(value, spec).replace(",", "\0").replace(".", marks.decimal).replace("\0", marks.group)
    local = local.replace("-", marks.minus) if local.startswith("-") else local
    if local.endswith("%"):
        before, after = percent_affixes(code)
        local = before + local[:-1] + after
    return local


def relabel(label: str, before: str, after: str) -> str:
    """A label shown in language ``before`` as it reads in ``after`` (a picker's stored choice
    when the reader switches language); a label neither catalogue knows is kept.

    >>> relabel("Revenue lost", "en", "fi"), relabel("Menetetty myynti", "fi", "en")
    ('Menetetty myynti', 'Revenue lost')
    """
    english = next((m for m, text in _catalogue(before).messages.items() if text == label), label)
    found = _catalogue(after).messages.get(english)
    return found if isinstance(found, str) and found else english


def _translated(code: str, message: str) -> str:
    found = _catalogue(code)
    text = found.messages.get(message)
    if isinstance(text, str) and text:
        return text
    _lacks(found, message)
    return message


def _lacks(found: Catalogue, message: str) -> None:
    """Count a message a catalogue lacks as missing, but in the source language, where it is itself."""
    if not found.source:
        missing.add(message)


def _catalogue(code: str) -> Catalogue:
    return _read_catalogue(LOCALES, code)


@functools.cache
def _read_catalogue(folder: Path, code: str) -> Catalogue:
    """Every message of a language, from its ``.po`` files in ``folder/<code>`` (read once per
    process) but its sources, and the plural rule their ``Plural-Forms`` headers agree on."""
    messages: dict[str, Entry] = {}
    rules: set[tuple[int, str]] = set()
    for path in sorted((folder / code).glob("*.po")):
        if path.name != SOURCES:
            catalog = _read(path, code)
            messages.update(_entries(catalog))
            rules.add((catalog.num_plurals, catalog.plural_expr))
    if not rules:  # no catalogue (English): gettext's own rule, English's
        rules.add(GETTEXT_PLURALS)
    if len(rules) > 1:
        raise ValueError(f"the catalogues of {code!r} disagree on their Plural-Forms: {sorted(rules)}")
    ((forms, expr),) = rules
    return Catalogue(messages, int(forms), gettext.c2py(str(expr)), source=code == SOURCE)


@functools.cache
def _sources(folder: Path, code: str) -> dict[str, str]:
    """The presets' sources in a language (English source → its translation), read once per process."""
    path = folder / code / SOURCES
    if not path.exists():
        return {}
    return {k: v for k, v in _entries(_read(path, code)).items() if isinstance(v, str) and v}


def _read(path: Path, code: str) -> Any:
    """One ``.po`` file as Babel reads it (a ``babel.messages.catalog.Catalog``)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def _entries(catalog: Any) -> dict[str, Entry]:
    """A catalogue's translated entries, by message (a plural by its singular); fuzzy ones left out."""
    entries: dict[str, Entry] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (tuple, list)):
            entries[str(message.id[0])] = tuple(message.string or ())
        else:
            entries[str(message.id)] = str(message.string or "")
    return entries


def catalogue(code: str) -> dict[str, Entry]:
    """A copy of a language's catalogue (English message → its translation), for checks."""
    return dict(_catalogue(code).messages)


def sources_catalogue(code: str) -> dict[str, str]:
    """A copy of a language's translations of the presets' sources, for checks."""
    return dict(_sources(LOCALES, code))


_CODE = re.compile(r"[a-z]{2,3}")


def pick(link: str | None = None, browser: str | None = None, accept: str | None = None) -> str:
    """The page's language: the link's ``lang`` if it names one, else the browser's language,
    else the first language the request accepts that we have, else English.

    >>> pick("fi"), pick("xx", "fi-FI"), pick(None, None, "sv-SE,fi;q=0.8,en;q=0.5"), pick(None, "de-DE")
    ('fi', 'fi', 'fi', 'en')
    """
    if link in LANGUAGES:
        return link
    for candidate in [browser or ""] + [part.split(";")[0] for part in (accept or "").split(",")]:
        found = _CODE.match(candidate.strip().lower())
        if found and found.group() in LANGUAGES:
            return found.group()
    return DEFAULT
