"""The words people read, in their language: English or Finnish.

Every text a reader sees is written in English in the code and passed through :func:`t` (or
:func:`tn` where it counts something); the Finnish for it lives in the gettext catalogue
``locales/fi/*.po`` (one file per area of the product, read with Babel, no build step). English
is the source, so an English page needs no catalogue at all.

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
import re
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

#: The languages, by code, each named in itself (as a language picker shows it).
LANGUAGES: dict[str, str] = {"en": "English", "fi": "Suomi"}
DEFAULT = "en"

#: The gettext catalogues: ``locales/<code>/*.po``; the presets' sources in their own (``source``).
LOCALES = Path(__file__).with_name("locales")
SOURCES = "sources.po"

_language: ContextVar[str] = ContextVar("language", default=DEFAULT)

#: Texts asked for in a language whose catalogue lacks them (the tests keep this empty).
missing: set[str] = set()


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
    code = _language.get()
    text = message if code == DEFAULT else _translated(code, message)
    return text.format(**values) if values else text


def tn(singular: str, plural: str, count: float, /, **values: object) -> str:
    """A text that counts something: the singular or plural form the language needs for
    ``count``, with ``{fields}`` filled from ``values`` (``count`` is not filled in by itself).

    >>> tn("{n} year", "{n} years", 1, n=1), tn("{n} year", "{n} years", 3, n=3)
    ('1 year', '3 years')
    """
    code = _language.get()
    if code == DEFAULT:
        text = singular if count == 1 else plural
    else:
        forms = _catalogue(code).get(singular)
        if isinstance(forms, tuple):
            text = forms[_plural_index(code, count)]
        else:
            missing.add(singular)
            text = singular if count == 1 else plural
    return text.format(**values) if values else text


def known(text: str) -> str:
    """``text`` in the reader's language if the catalogue has it, else as it is, without
    counting it as missing: for text that may be the reader's own (a scenario's name and
    description, which are a preset's until the reader renames it).

    >>> with use("fi"):
    ...     known("Revenue lost"), known("My own scenario")
    ('Menetetty myynti', 'My own scenario')
    """
    code = _language.get()
    if code == DEFAULT:
        return text
    found = _catalogue(code).get(text)
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
    if code == DEFAULT:
        return str(text)
    localized = {name: _local_value(value, spec, code) for name, (value, spec) in _fields(template, values).items()}
    return _translated(code, template).format(**localized)


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
    code = _language.get()
    if code == DEFAULT or not text:
        return text
    return _sources(code).get(text) or text


def say_error(error: BaseException) -> str:
    """An error's message in the reader's language: the model's errors carry their ``Text`` as
    their first argument (``str(error)`` is the English line)."""
    first = error.args[0] if len(error.args) == 1 else None
    return say(first) if getattr(first, "template", None) is not None else say(str(error))


def _fields(template: str, values: dict) -> dict[str, tuple[object, str]]:
    """Each field of a template with its value and its format spec."""
    import string

    return {
        name: (values[name], spec or "")
        for _, name, spec, _ in string.Formatter().parse(template)
        if name is not None and name in values
    }


def _local_value(value: object, spec: str, code: str) -> str:
    """A value formatted by its English format spec, then written with the language's
    separators and percent sign (``1,234.5`` → ``1 234,5``; ``15%`` → ``15 %``).

    >>> _local_value(1234.5, ",.1f", "fi"), _local_value(0.15, ".0%", "fi"), _local_value(-2.5, "g", "fi")
    ('1\xa0234,5', '15\xa0%', '−2,5')
    """
    if getattr(value, "template", None) is not None:  # a Text inside a Text (a setting's label, a place)
        return say(value)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return format(value, spec)
    english = format(value, spec)
    from babel import Locale

    symbols = Locale.parse(code).number_symbols["latn"]
    local = english.replace(",", "\0").replace(".", symbols["decimal"]).replace("\0", symbols["group"])
    local = local.replace("-", symbols["minusSign"]) if local.startswith("-") else local
    return local.replace("%", "\u00a0%") if local.endswith("%") and code == "fi" else local


def relabel(label: str, before: str, after: str) -> str:
    """A label shown in language ``before`` as it reads in ``after`` (a picker's stored choice
    when the reader switches language); a label neither catalogue knows is kept.

    >>> relabel("Revenue lost", "en", "fi"), relabel("Menetetty myynti", "fi", "en")
    ('Menetetty myynti', 'Revenue lost')
    """
    english = label
    if before != DEFAULT:
        english = next((m for m, text in _catalogue(before).items() if text == label), label)
    if after == DEFAULT:
        return english
    found = _catalogue(after).get(english)
    return found if isinstance(found, str) and found else english


def _translated(code: str, message: str) -> str:
    found = _catalogue(code).get(message)
    if isinstance(found, str) and found:
        return found
    missing.add(message)
    return message


def _plural_index(code: str, count: float) -> int:
    """Which plural form ``count`` takes (Finnish and English: one form for exactly 1)."""
    return 0 if count == 1 else 1


@functools.cache
def _catalogue(code: str) -> dict[str, str | tuple[str, ...]]:
    """Every message of a language, from its ``.po`` files (read once per process), but its sources."""
    messages: dict[str, str | tuple[str, ...]] = {}
    for path in sorted((LOCALES / code).glob("*.po")):
        if path.name != SOURCES:
            messages.update(_read(path, code))
    return messages


@functools.cache
def _sources(code: str) -> dict[str, str]:
    """The presets' sources in a language (English source → its translation), read once per process."""
    path = LOCALES / code / SOURCES
    return {k: v for k, v in _read(path, code).items() if isinstance(v, str) and v} if path.exists() else {}


def _read(path: Path, code: str) -> dict[str, str | tuple[str, ...]]:
    from babel.messages.pofile import read_po

    messages: dict[str, str | tuple[str, ...]] = {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        messages[key] = tuple(message.string) if isinstance(message.id, tuple) else message.string
    return messages


def catalogue(code: str) -> dict[str, str | tuple[str, ...]]:
    """A copy of a language's catalogue (English message → its translation), for checks."""
    return dict(_catalogue(code))


def sources_catalogue(code: str) -> dict[str, str]:
    """A copy of a language's translations of the presets' sources, for checks."""
    return dict(_sources(code))


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
