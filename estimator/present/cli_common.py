"""What every command of ``python -m estimator`` shares: user mistakes as one line, output paths
checked before any work is done (so nothing is half-written), and the reader's language
(``--lang``: the text a person reads follows it; JSON and the files' keys stay English)."""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from ..model.inputs.catalogue import SPECS
from ..model.scenarios.scenario_files import describe_validation_error
from . import i18n
from .formatting import people
from .house_style import number
from .i18n import DEFAULT, language, say, t

#: The Monte Carlo draws a command takes (``--draws``). The default, the scenario's own (2,048 scrambled Sobol
#: points in every preset), gives the stated accuracy (tests/test_accuracy.py). Fewer are a quick look, down to 64: there the mean (every
#: figure shown) is within about 1-2.5 % of a 2^17-point run for 95 % of seeds (gas station, hotel, airline;
#: 0.6-1.1 % at 256) and the P10/P90 are rough; fewer would put under 7 draws beyond each of them. The most
#: is the model's own limit (the catalogue's 100,000): 100,000 draws x 120 months peak at about 290 MB
#: (README, Speed); a million would need about ten times that.
MIN_DRAWS, MAX_DRAWS = 64, int(SPECS["draws"].upper)


class UsageError(Exception):
    """A mistake in the command line the user can fix; printed as one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are ``UsageError`` (one line, exit 2), not a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]  # argparse hook
        raise UsageError(message)


def add_language(parser: argparse.ArgumentParser) -> None:
    """The ``--lang`` option every command has: the language of the text a person reads."""
    parser.add_argument(
        "--lang",
        choices=tuple(i18n.LANGUAGES),
        default=DEFAULT,
        help=t("language of the text: en (English, the default) or fi (Finnish); JSON output stays English"),
    )


def language_in(argv: list[str]) -> str:
    """The ``--lang`` asked for in ``argv``, read before the full parse, so that the help and the
    mistakes the parse finds are already in it; English if none or an unknown one is asked for.

    >>> language_in(["hotel", "--lang", "fi"]), language_in(["--lang=fi", "--json"]), language_in(["--lang", "xx"])
    ('fi', 'fi', 'en')
    >>> language_in(["hotel"]), language_in(["--lang"])
    ('en', 'en')
    """
    first = Parser(add_help=False)
    first.add_argument("--lang")
    try:
        code = first.parse_known_args(argv)[0].lang
    except UsageError:
        return DEFAULT
    return code if code in i18n.LANGUAGES else DEFAULT


def error_line(message: str) -> str:
    """A mistake as the one line printed on stderr: ``error: ...`` (Finnish ``virhe: ...``)."""
    return t("error: {message}", message=message)


def fail(message: str) -> int:
    """Print a mistake as one line on stderr; the exit code of a usage error (2)."""
    print(error_line(message), file=sys.stderr)
    return 2


def parse_in_language(make_parser, argv: list[str], message=str) -> argparse.Namespace | int:
    """``argv`` parsed by ``make_parser()`` in the language it asks for (``--lang``): the namespace, or
    the exit code when there is nothing more to do (0 after ``--help``; a usage error said in one line,
    through ``message``, and 2)."""
    with i18n.use(language_in(argv)):
        try:
            return make_parser().parse_args(argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        except UsageError as exc:
            return fail(message(exc))


def checked_draws(draws: int | None) -> int | None:
    """``--draws`` as given (None: the scenario's), if within ``MIN_DRAWS`` to ``MAX_DRAWS``; else a
    ``UsageError`` that says the range in one line.

    >>> checked_draws(None), checked_draws(2048)
    (None, 2048)
    >>> checked_draws(5)
    Traceback (most recent call last):
    ...
    estimator.present.cli_common.UsageError: --draws 5 is out of range: give 64 to 100,000 (2,048, the default, gives the stated accuracy; fewer are a quick look)
    """
    if draws is None or MIN_DRAWS <= draws <= MAX_DRAWS:
        return draws
    raise UsageError(
        t(
            "--draws {draws} is out of range: give {low} to {high} ({default}, the default, gives the "
            "stated accuracy; fewer are a quick look)",
            draws=people(draws),
            low=people(MIN_DRAWS),
            high=people(MAX_DRAWS),
            default=people(SPECS["draws"].default),
        )
    )


def json_number(value: float | None) -> float | None:
    """A figure as strict JSON holds it: null (``None``) for none, NaN or infinity, which a standard parser
    rejects.

    >>> json_number(2.5), json_number(float("nan")), json_number(None)
    (2.5, None, None)
    """
    return float(value) if value is not None and math.isfinite(value) else None


def json_band(summary) -> dict[str, float | None]:  # noqa: ANN001 (a Summary: mean, p10, p90)
    """``{"mean", "p10", "p90"}`` of one figure, for JSON."""
    return {"mean": json_number(summary.mean), "p10": json_number(summary.p10), "p90": json_number(summary.p90)}


def budget_amount(text: str | None, option: str, default: float | None = None) -> float | None:
    """A budget from the command line: an amount of at least 0 (``default`` when none is given; None is
    no limit), or a ``UsageError`` naming the option.

    >>> budget_amount("60_000", "--budget-once"), budget_amount(None, "--budget-once", 5.0)
    (60000.0, 5.0)
    """
    if text is None:
        return default
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value < 0:
        raise UsageError(t("{option} must be an amount of at least 0 (got '{value}')", option=option, value=text[:40]))
    return value


def user_message(exc: Exception, limit: int = 400) -> str:
    """One line for the user, in the reader's language where the catalogue has it: a pydantic
    error said plainly, anything else as it is.

    >>> user_message(ValueError("draws = 0\\n  must be at least 1"))
    'draws = 0 must be at least 1'
    """
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        text = describe_validation_error(exc)
    else:
        first = exc.args[0] if len(exc.args) == 1 else None
        text = first if isinstance(first, str) and getattr(first, "template", None) is not None else str(exc)
    return " ".join(say(text).split())[:limit]


def fixed(value: float, digits: int) -> str:
    """A plain number with ``digits`` decimals and no thousands separators, as the reader's
    language writes it.

    >>> fixed(0.7712, 3), fixed(-1.25, 1) == f"{-1.25:.1f}"
    ('0.771', True)
    >>> with i18n.use("fi"):
    ...     fixed(0.7712, 3), fixed(-2.0, 1)
    ('0,771', '−2,0')
    """
    return number(value, digits, language(), grouping=False)


#: Longest file name a file system takes (Linux's NAME_MAX, in bytes).
MAX_NAME_BYTES = 255


def _check_name_lengths(path: Path, what: str) -> None:
    """A ``UsageError`` for a name the file system would refuse as too long (checked before any work)."""
    for part in path.parts:
        length = len(part.encode("utf-8", "surrogateescape"))
        if length > MAX_NAME_BYTES:
            raise UsageError(
                t(
                    "{option}: a name in the path is {length} bytes long; give at most {limit}",
                    option=what,
                    length=length,
                    limit=MAX_NAME_BYTES,
                )
            )


def writable_file(path_text: str, what: str) -> Path:
    """``path_text`` if a file can be written there (checked before any work is done)."""
    path = Path(path_text)
    _check_name_lengths(path, what)
    if path.is_dir():
        raise UsageError(t("{option} '{path}' is a directory; give a file name", option=what, path=path))
    if path.exists() and not path.is_file():  # a FIFO would take the output and block forever; a device too
        raise UsageError(
            t(
                "{option} '{path}' is not a regular file (a pipe, a device or a socket); give a file name",
                option=what,
                path=str(path)[:120],
            )
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(
            t("{option} '{path}': the folder '{folder}' does not exist", option=what, path=path, folder=folder)
        )
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(t("{option} '{path}' cannot be written here (permission denied)", option=what, path=path))
    return path


def writable_folder(path_text: str, what: str) -> Path:
    """``path_text`` if it is a folder that can be written, or can be made (checked before any work)."""
    path = Path(path_text)
    _check_name_lengths(path, what)
    if path.exists() and not path.is_dir():
        raise UsageError(t("{option} '{path}' exists and is not a folder", option=what, path=path))
    existing = next((p for p in (path, *path.parents) if p.exists()), Path("."))
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        raise UsageError(
            t("{option} '{path}' cannot be made or written here (permission denied)", option=what, path=path)
        )
    return path


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a temporary file beside it, then renamed over
    it, so an output is never left half written (a full disk, an interrupted run) and a reader never sees
    a part of it. The temporary file is removed if anything goes wrong."""
    import tempfile

    fd, temp = tempfile.mkstemp(
        prefix=f".{path.name[:200]}.", suffix=".part", dir=path.parent if str(path.parent) else "."
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def could_not_write(exc: OSError) -> str:
    """An error writing an output, as one line: ``could not write deck.pptx: No space left on device``."""
    target = exc.filename or t("the output")
    return t("could not write {target}: {reason}", target=target, reason=exc.strerror or exc)


#: Runs of at least this many draws x months get a progress bar (about 2 s and more on the project's machines).
PROGRESS_LANE_MONTHS = 4_000_000


def progress_bar(params, quiet: bool = False):  # noqa: ANN001, ANN201 (Params; a callback or None)
    """A ``monte_carlo`` progress callback drawing a bar on the terminal for a long run, or None: when
    ``quiet`` (``--json``), when standard error is not a terminal (a pipe, a file, a test), or for a run
    short enough not to need one. The bar goes to standard error, so standard output stays the answer."""
    if quiet or not sys.stderr.isatty() or int(params.draws) * int(params.horizon_months) < PROGRESS_LANE_MONTHS:
        return None
    from tqdm import tqdm  # only a terminal run of this size needs it

    bar = tqdm(total=int(params.draws), unit=" draws", desc=t("Simulating"), leave=False, file=sys.stderr)

    def tell(done: int, total: int) -> None:
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return tell
