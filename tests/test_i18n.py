"""The catalogues: every text the code shows has its Finnish, nothing in a catalogue is dead, and
each translation keeps its message's placeholders.

The English messages are found the way translators' tools find them: Babel extracts every
``t("...")`` and ``tn("...", "...", n)`` from the source. Texts the model names (settings, channels,
steps of the story, presets) are listed by ``estimator.present.model_words``.
"""

from __future__ import annotations

import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

from estimator.present import i18n
from estimator.present.model_words import model_texts, preset_texts

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([ROOT / "dashboard.py", *(ROOT / "estimator").rglob("*.py")])
KEYWORDS = {"t": None, "tn": (1, 2)}


def _messages(path: Path) -> set[str]:
    """The English messages a source file passes to ``t``/``tn`` (the singular for ``tn``)."""
    with path.open("rb") as handle:
        found = list(extract_python(handle, KEYWORDS, [], {}))
    return {(msg[0] if isinstance(msg, tuple) else msg) for _, _, msg, _ in found if msg and (
        msg[0] if isinstance(msg, tuple) else msg)}


def _catalogue_files(code: str) -> list[Path]:
    return sorted((i18n.LOCALES / code).glob("*.po"))


FINNISH = i18n.catalogue("fi")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_in_the_code_has_its_finnish(path: Path) -> None:
    missing = sorted(m for m in _messages(path) if not FINNISH.get(m))
    assert not missing, f"{len(missing)} messages of {path.name} have no Finnish: {missing[:8]}"


def test_every_text_the_model_names_has_its_finnish() -> None:
    missing = sorted(m for m in model_texts() | preset_texts() if not FINNISH.get(m))
    assert not missing, f"{len(missing)} model texts have no Finnish: {missing[:8]}"


def test_no_catalogue_entry_is_unused() -> None:
    used = set().union(*(_messages(p) for p in SOURCES)) | model_texts() | preset_texts()
    unused = sorted(set(FINNISH) - used)
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
