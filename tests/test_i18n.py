"""The catalogues: the translators' template is current, every message in it has its Finnish and
nothing in a catalogue is dead, each translation keeps its message's placeholders (and no format
spec), and every language is looked up the same way, English too, with the plural rule its
catalogue's header gives.

The English messages are found the way translators' tools find them: Babel extracts every
``t("...")`` and ``tn("...", "...", n)`` from the source; texts the model names (settings, channels,
steps of the story, presets) are listed by ``estimator.present.model_words``. Both are in the
template, ``locales/messages.pot`` (``estimator.present.i18n_template``), which names the files each
message comes from.
"""

from __future__ import annotations

import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from estimator.model.inputs.text import Text
from estimator.present import i18n
from estimator.present.i18n_template import TEMPLATE, init, render, template, undated
from estimator.present.model_words import model_templates


def _catalogue_files(code: str) -> list[Path]:
    return sorted((i18n.LOCALES / code).glob("*.po"))


FINNISH = i18n.catalogue("fi")


def _template_messages() -> dict[str, tuple[str | tuple[str, ...], list[str]]]:
    """The committed template's messages: each singular with its id (a plural's singular and plural) and files."""
    with TEMPLATE.open("rb") as handle:
        catalog = read_po(handle)
    messages = {}
    for m in catalog:
        if m.id:
            message = m.id if isinstance(m.id, str) else tuple(m.id)
            messages[message if isinstance(message, str) else message[0]] = (message, sorted({w for w, _ in m.locations}))
    return messages


def test_the_template_is_current() -> None:
    """The committed template is what the code and the model say now (its date aside)."""
    made = undated(render(template()))
    assert undated(TEMPLATE.read_text(encoding="utf-8")) == made, (
        "locales/messages.pot is out of date: run python -m estimator.present.i18n_template"
    )


def test_every_message_of_the_template_has_its_finnish() -> None:
    """Each message of the code and the model has its Finnish, a plural every form Finnish has."""
    forms = i18n._catalogue("fi").forms
    lacking = []
    for singular, (message, where) in _template_messages().items():
        finnish = FINNISH.get(singular)
        plural = isinstance(message, tuple)
        if not finnish or isinstance(finnish, tuple) != plural or (plural and (len(finnish) != forms or not all(finnish))):
            lacking.append(f"{', '.join(where)}: {singular!r}")
    assert not lacking, f"{len(lacking)} messages have no Finnish: {lacking[:8]}"


def test_every_finnish_message_is_in_the_template() -> None:
    """No Finnish entry (but the presets' sources, which are data) is for a message no code or model has."""
    unused = sorted(set(FINNISH) - set(_template_messages()))
    assert not unused, f"{len(unused)} catalogue entries no code uses: {unused[:8]}"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_translations_keep_their_placeholders() -> None:
    wrong = []
    for message, translation in FINNISH.items():
        forms = translation if isinstance(translation, tuple) else (translation,)
        wrong += [(message, form) for form in forms if _fields(form) != _fields(message)]
    assert not wrong, f"placeholders differ: {wrong[:5]}"


def test_each_message_is_in_one_file_and_no_entry_is_fuzzy() -> None:
    seen: Counter[str] = Counter()
    for path in _catalogue_files("fi"):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="fi")
        assert not [m.id for m in catalog if m.id and m.fuzzy], f"fuzzy entries in {path.name}"
        seen.update(m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id)
    assert not [m for m, n in seen.items() if n > 1]


def test_no_translation_keeps_a_format_spec() -> None:
    """A value arrives written the reader's way (``say``), so a translation names the field alone:
    ``{count}``, never ``{count:,.0f}``."""
    kept = []
    for path in _catalogue_files("fi"):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="fi")
        for message in catalog:
            for form in (message.string,) if isinstance(message.string, str) else message.string:
                kept += [(path.name, form[:60]) for _, name, spec, _ in string.Formatter().parse(form or "") if name and spec]
    assert not kept, kept[:5]


def test_each_languages_catalogues_say_one_plural_rule() -> None:
    """Every catalogue file of a language states its ``Plural-Forms``, and all of them the same one."""
    for folder in sorted(p for p in i18n.LOCALES.iterdir() if p.is_dir()):
        headers = {path.name: _plural_header(path) for path in sorted(folder.glob("*.po"))}
        assert None not in headers.values(), f"{folder.name}: no Plural-Forms in {headers}"
        assert len(set(headers.values())) == 1, headers


def _plural_header(path: Path) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith('"Plural-Forms:'):
            return line
    return None


POLISH = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"


def _catalogue_in(folder: Path, code: str, header: str, entries: str) -> None:
    (folder / code).mkdir(parents=True)
    (folder / code / "core.po").write_text(
        f'msgid ""\nmsgstr ""\n"Language: {code}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {header}\\n"\n\n{entries}',
        encoding="utf-8",
    )


YEARS = 'msgid "{n} year"\nmsgid_plural "{n} years"\nmsgstr[0] "{n} rok"\nmsgstr[1] "{n} lata"\nmsgstr[2] "{n} lat"\n'


def test_the_plural_form_comes_from_the_catalogues_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Polish has three forms (1 rok, 2-4 lata, 5-21 lat, 22 lata): ``tn`` takes them from the header of its
    catalogue, whatever the header says (a made-up rule is followed just the same)."""
    monkeypatch.setitem(i18n.LANGUAGES, "pl", "Polski")
    monkeypatch.setattr(i18n, "missing", set())
    monkeypatch.setattr(i18n, "LOCALES", tmp_path / "real")
    _catalogue_in(tmp_path / "real", "pl", POLISH, YEARS)
    counts = (1, 2, 4, 5, 12, 21, 22, 25, 102, 1.5)
    with i18n.use("pl"):
        said = [i18n.tn("{n} year", "{n} years", n, n=n) for n in counts]
    assert said == ["1 rok", "2 lata", "4 lata", "5 lat", "12 lat", "21 lat", "22 lata", "25 lat", "102 lata", "1.5 lat"]
    monkeypatch.setattr(i18n, "LOCALES", tmp_path / "made_up")
    _catalogue_in(tmp_path / "made_up", "pl", "nplurals=3; plural=(n==0 ? 0 : n==1 ? 1 : 2);", YEARS)
    with i18n.use("pl"):
        said = [i18n.tn("{n} year", "{n} years", n, n=n) for n in (0, 1, 2)]
    assert said == ["0 rok", "1 lata", "2 lat"]
    assert not i18n.missing


def test_english_is_looked_up_like_any_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """English reads its catalogue as Finnish does (here one with a copy edit); a message an English
    catalogue lacks is the message itself, not a missing one, and counts by gettext's English rule."""
    monkeypatch.setattr(i18n, "missing", set())
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    _catalogue_in(tmp_path, "en", "nplurals=2; plural=(n != 1);", 'msgid "Revenue lost"\nmsgstr "Revenue gone"\n')
    _catalogue_in(tmp_path, "fi", "nplurals=2; plural=(n != 1);", 'msgid "Revenue lost"\nmsgstr "Menetetty myynti"\n')
    assert i18n.t("Revenue lost") == "Revenue gone" and i18n.known("Revenue lost") == "Revenue gone"
    assert i18n.relabel("Menetetty myynti", "fi", "en") == "Revenue gone"
    assert i18n.t("Net value") == "Net value" and i18n.say(Text("{n:,} left", n=1234)) == "1,234 left"
    assert [i18n.tn("{n} year", "{n} years", n, n=n) for n in (0, 1, 2)] == ["0 years", "1 year", "2 years"]
    assert not i18n.missing
    with i18n.use("fi"):
        assert i18n.t("Net value") == "Net value"
    assert i18n.missing == {"Net value"}


def _sample(spec: str) -> object:
    return 171 if spec.endswith("X") else 1234.5678 if spec else "word"


def test_english_says_what_the_model_wrote() -> None:
    """``say`` in English goes through the catalogue like any language and gives the model's own English."""
    different = []
    for text in sorted(model_templates()):
        values = {name: _sample(spec or "") for _, name, spec, _ in string.Formatter().parse(text) if name}
        note = Text(text, **values)
        if i18n.say(note) != str(note):
            different.append((i18n.say(note), str(note)))
    assert not different, different[:3]


def test_a_language_begins_as_the_template_with_its_plural_rule(tmp_path: Path) -> None:
    path = init("pl", folder=tmp_path)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert (catalog.num_plurals, str(catalog.locale)) == (3, "pl")
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert ids == set(_template_messages()) and not any(m.string and any(m.string) for m in catalog if m.id)
    with pytest.raises(FileExistsError):
        init("pl", folder=tmp_path)
