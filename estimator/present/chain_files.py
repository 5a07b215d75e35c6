"""Reading a chain's outlets table from a file: CSV by the model's reader, an Excel workbook here.

The model reads CSV bytes itself (``model.chain.read_outlets``); a workbook needs a spreadsheet
library, which the model does not import, so its first sheet is read here into the same table of
text cells (rows numbered as the spreadsheet numbers them) and handed to the model. Every problem is
the model's ``OwnDataError``, one line naming the file (a damaged or hostile workbook included).
"""

from __future__ import annotations

import io

from ..model.chain.outlets import MAX_OUTLETS, NOT_A_WORKBOOK, ChainTable
from ..model.chain.outlets import read_outlets as read_table_of_outlets
from ..model.inputs.params import Params
from ..model.inputs.text import Text
from ..model.own_data.tables import MAX_OWN_DATA_BYTES, OwnDataError, Table, short_text

#: The first bytes of a ZIP archive, which an .xlsx workbook is.
ZIP_SIGNATURE = b"PK\x03\x04"


def read_outlets(data: bytes, name: str, base: Params) -> ChainTable:
    """The chain's outlets from a file's bytes: an Excel workbook (told by its signature, whatever its
    name) or CSV (``model.chain.read_outlets``).

    >>> from estimator import load_preset
    >>> read_outlets(b"id,customers\\nA,2000\\n", "o.csv", load_preset("gas_station")).outlets[0].params.customers
    2000.0
    """
    if data[:4] == ZIP_SIGNATURE:
        return read_table_of_outlets(workbook_table(data, name), name, base)
    return read_table_of_outlets(data, name, base)


def workbook_table(data: bytes, name: str) -> Table:
    """The first sheet of an Excel workbook as a table of text cells (rows as a spreadsheet numbers them)."""
    name = short_text(name, 80)
    if len(data) > MAX_OWN_DATA_BYTES:
        raise OwnDataError(Text(NOT_A_WORKBOOK, where=name, problem=f"over {MAX_OWN_DATA_BYTES:,} bytes"))
    try:
        from openpyxl import load_workbook  # imported only for a workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        header: tuple[str, ...] | None = None
        rows: list[tuple[str, ...]] = []
        numbers: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple("" if v is None else (repr(v) if isinstance(v, float) else str(v)).strip() for v in values)
            if not any(cells):
                continue
            if header is None:
                header, header_row = cells, number
                continue
            if len(rows) > MAX_OUTLETS:
                break
            rows.append(cells[: len(header)] + ("",) * (len(header) - len(cells)))
            numbers.append(number)
    except OwnDataError:
        raise
    except Exception as exc:  # noqa: BLE001 (a damaged or hostile workbook: say so, never crash)
        raise OwnDataError(
            Text(NOT_A_WORKBOOK, where=name, problem=short_text(str(exc) or type(exc).__name__, 120))
        ) from exc
    if header is None or not rows:
        raise OwnDataError(Text(NOT_A_WORKBOOK, where=name, problem="no header row and data rows on its first sheet"))
    return Table(name, "Excel workbook", ",", header, tuple(rows), tuple(numbers), header_row=header_row)
