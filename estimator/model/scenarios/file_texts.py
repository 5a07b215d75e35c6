"""What the model says about the files it reads: a scenario file (or the scenario a link carries)
and the business's own exports (reviews, complaint log, survey). Each is an English template of a
``Text`` (``estimator.model.inputs.text``), so another language can say it; ``TEXTS`` lists them all for
the catalogue (``estimator.present.model_words``).
"""

from __future__ import annotations

#: How messages name a scenario or a data file when there is no file name (``scenario_files``).
SCENARIO_FILE = "scenario file"
DATA_FILE = "data file"
SCENARIO = "scenario"
#: What ``read_regular_file`` finds where a file should be.
NOT_A_FILE_KINDS: tuple[str, ...] = (
    "a directory",
    "a character device",
    "a block device",
    "a FIFO",
    "a socket",
    "not a file",
)

#: A scenario file or a preset that cannot be used (``scenario_files``: ``{origin}`` names the file,
#: ``{where}`` a field in it).
PLACED = "{where}: {problem}"
JOINED = "{first}; {rest}"
ALIASES = "YAML aliases (*name) are not allowed in scenario files"
ANCHORS = "YAML anchors (&name) are not allowed in scenario files"
TOO_DEEP = "lists or mappings nested more than {levels} levels deep (line {line}); a scenario file needs three"
TWICE = "the key '{key}' appears twice (line {line}); keep one"
UNKNOWN_PRESET = "unknown preset '{name}'; available: {names}"
CANNOT_READ = "cannot read {what} '{path}': {reason}"
NOT_REGULAR = "{name}: not a regular file ({kind}); give a {what}"
FILE_TOO_LARGE = "{name}: file is over {limit:,} bytes; {what}s may be at most {limit:,} bytes"
TOO_LARGE = "{origin}: {size:,} bytes is too large; scenario files may be at most {limit:,} bytes"
NOT_UTF8 = "{origin}: not UTF-8 text (byte {byte})"
NOT_YAML = "{origin}: not valid YAML: {problem}"
NOT_YAML_AT = "{origin}: not valid YAML (line {line}): {problem}"
UNREADABLE_VALUE = "{origin}: a value could not be read ({detail}); write numbers as plain numbers and text in quotes"
FIELD = "{origin}: parameters.{name}"
FIELD_PART = "{origin}: parameters.{name}.{part}"
NOT_A_NUMBER = "{where} must be a number, got {kind} {value}"
NOT_FINITE = "{where} must be a finite number, got {value}"
UNKNOWN_RANGE_KEYS = "{where} must be a number or {{mode, low, high}}; unknown key(s) {keys}"
NO_MODE = "{where} must be a number or {{mode, low, high}}; 'mode' is missing"
NOT_A_RANGE = "{where} is a simulation setting and takes a single number, not a range"
LOW_ABOVE_HIGH = "{where}: low = {low:g} is above high = {high:g}; swap them"
MODE_OUTSIDE = (
    "{where}: low = high = {low:g} but mode = {mode:g}; a range must contain its mode (or write the "
    "value as a plain number)"
)
NOT_A_MAPPING = "{origin}: expected a mapping with name, currency, parameters and sources, got {kind}"
UNKNOWN_KEYS = "{origin}: unknown top-level key(s) {keys}; allowed: {allowed}"
BAD_PARAMETERS = "{origin}: 'parameters' must be a mapping of parameter name to value"
UNKNOWN_PARAMETERS = "{origin}: unknown parameter(s) {names}"
BAD_SOURCES = "{origin}: 'sources' must map parameter names to text"
BAD_GRADES = "{origin}: 'grades' must map parameter names to measured, published or assumption"
BAD_FIX = "{origin}: 'fix' must map service settings to their changes (relative, points or a target)"
NOT_TEXT = "{origin}: '{key}' must be text"

#: Reading the business's own data files (``own_data``: ``{where}`` is a place: file, row, column).
ROW = "{name}, row {row:,}"
ROW_COLUMN = "{name}, row {row:,}, column '{column}'"
COLUMN = "{name}, column '{column}'"
NOT_CSV_KIND = "{name}: this is {kind}, not a CSV file; open it and save or export it as CSV (UTF-8)"
KIND_ZIP = "an Excel workbook (.xlsx) or another ZIP archive"
KIND_XLS = "an old Excel workbook (.xls)"
KIND_GZIP = "a gzip archive"
KIND_PNG = "a PNG image"
KIND_JPEG = "a JPEG image"
KIND_PDF = "a PDF document"
NOT_UTF16 = "{name}: starts as UTF-16 but byte {byte:,} is not UTF-16; save the file again as UTF-8 CSV"
MIXED_AFTER_ROW = (
    "{where}: mixed encodings: row {row} is UTF-8 but byte 0x{byte:02X} here is not; save the whole "
    "file again in one encoding (UTF-8 CSV)"
)
MIXED_AFTER_MARK = (
    "{where}: mixed encodings: the file starts with a UTF-8 byte-order mark but byte 0x{byte:02X} "
    "here is not; save the whole file again in one encoding (UTF-8 CSV)"
)
NOT_TEXT_BYTE = (
    "{where}: byte 0x{byte:02X} is a character in neither UTF-8 nor Windows-1252 (Latin-1 reads it as a "
    "control code): binary data? save the file as UTF-8 CSV"
)
BINARY = "{where}: binary data (character U+{code:04X}), not a text CSV file; export the data as CSV"
BINARY_ZIP = (
    "{where}: binary data (character U+{code:04X}), not a text CSV file (it looks like an Excel workbook "
    "or a zip file); export the data as CSV"
)
OVER_SIZE = (
    "{where}: the file is over {limit:,} bytes (10 MB); the limit is reached in row {row:,}; export a shorter period"
)
EMPTY = "{where}: the file is empty; expected a header row naming the columns and one row per record"
EMPTY_EXPECTED = (
    "{where}: the file is empty; expected a header row naming the columns ({columns}) and one row per record"
)
SEPARATOR_TIE = "{where}: the header row uses {separators} equally often; use one separator (mixed separators)"
BOTH = "{first} and {rest}"
TOO_MANY_LINES = (
    "{where}: the file has {lines:,} lines, more than {limit:,} (mostly blank lines?); remove the "
    "blank lines or export the data again"
)
TOO_MANY_ROWS = "{where}: more than {limit:,} data rows; export a shorter period"
CANNOT_SPLIT = "{where}: the row cannot be split ({detail}); check its quotes"
NO_DATA = "{where}: the file has a header row but no data rows"
FEWER_FIELD = "{where}: the row has {count} field where the header has {width}"
FEWER_FIELDS = "{where}: the row has {count} fields where the header has {width}"
FEWER_FIELD_MIXED = (
    "{where}: the row has {count} field where the header has {width}; it seems separated by {other} "
    "while the header uses {separator} (mixed separators)"
)
FEWER_FIELDS_MIXED = (
    "{where}: the row has {count} fields where the header has {width}; it seems separated by "
    "{other} while the header uses {separator} (mixed separators)"
)
AFTER = "{number} (after '{header}')"
MORE_FIELDS = "{where}, column {column}: the row has {count} fields where the header has {width}"
MORE_FIELDS_COMMA = (
    "{where}, column {column}: the row has {count} fields where the header has {width}; a decimal "
    "comma in a comma-separated file splits a number in two: write 4.5 or quote it"
)
NO_DATE_COLUMN = "{where}: no date column (found {found}); name it one of: {names}"
NO_STARS_COLUMN = "{where}: no stars column (found {found}); name it one of: {names}"
NO_COLUMN = "{where}: no {role} column (found {found}); name it one of: {names}"

#: The cells of those files (``own_cells``: ``{text}`` is the cell as written).
DECIMAL_COMMA = "'{text}' has a decimal comma in a comma-separated file; write {number}"
CELL_NOT_A_NUMBER = "'{text}' is not a number"
NOT_STARS = "{value:g} is outside 1 to 5 stars"
NOT_STARS_SCORE = "{value:g} is outside 1 to 5 stars (a 1-10 score? convert it to 1-5 stars)"
NOT_YES_NO = (
    "'{text}' is not a yes/no answer (yes/no, resolved/unresolved, ratkaistu/ratkaisematta, kyllä/ei, or "
    "blank for not known)"
)
NOT_A_DATE = "'{text}' is not a date this reader knows (2026-01-31, 31.1.2026, 31/01/2026, 31 Jan 2026 or Unix seconds)"
NOT_A_DATE_AGO = (
    "'{text}' is not a date this reader knows (2026-01-31, 31.1.2026, 31/01/2026, 31 Jan 2026 or Unix "
    "seconds); export absolute dates"
)
BOTH_ORDERS = (
    "slashed dates in both orders: row {day_first} is day/month/year, row {month_first} month/day/year; use "
    "one order (or ISO 2026-01-31)"
)
READ_MONTH_FIRST = "slashed dates read as month/day/year (row {row} has {part} as its second part)"
READ_DAY_FIRST = "slashed dates read as day/month/year (row {row} has {part} first)"
READ_DAY_FIRST_UNSURE = "slashed dates read as day/month/year (no part above 12 to tell; month/day/year would differ)"
NOT_A_REAL_DATE = "'{text}' is not a real date"
DATE_OUTSIDE = "'{text}' reads as {date}, outside {first}-{last}; check the column"

#: What those files hold (``own_records``): the columns a file needs, its preview, notes and errors.
EXPECTED_REVIEWS = "date, stars"
EXPECTED_COMPLAINTS = "date, and optionally outcome"
EXPECTED_SURVEY = "answer, count; or satisfied, complained, resolved; or nps"
PERIOD = "{first} to {last}"
DESCRIBE = "{name}: {rows:,} rows; columns {columns}; {encoding}, {separator}-separated"
DESCRIBE_COMMA = "{name}: {rows:,} rows; columns {columns}; {encoding}, {separator}-separated, decimal comma"
DESCRIBE_PERIOD = "{name}: {rows:,} rows, {period}; columns {columns}; {encoding}, {separator}-separated"
DESCRIBE_PERIOD_COMMA = (
    "{name}: {rows:,} rows, {period}; columns {columns}; {encoding}, {separator}-separated, decimal comma"
)
SEPARATOR_WORDS = ("comma", "semicolon", "tab")
ENCODING_WORDS = ("UTF-8 with byte-order mark",)
REVIEWS_SUMMARY = "{count:,} reviews, mean {mean:.2f} stars"
COMPLAINTS_SUMMARY = "{count:,} complaints"
COMPLAINTS_OUTCOME_SUMMARY = (
    "{count:,} complaints, {resolved:,} resolved, {unresolved:,} unresolved, {unknown:,} not known"
)
NO_OUTCOME = "no outcome column: recovery is not read from this log"
NOT_A_SURVEY = (
    "{name}, row {row}: not a survey this reader knows (found {found}); give counts (columns answer, "
    "count), one row per respondent (a dissatisfied or satisfied yes/no column, optional complained and "
    "resolved), or NPS scores (column nps)"
)
UNKNOWN_COUNT = (
    "'{label}' is not a survey count this reader knows; use respondents, satisfied, dissatisfied, "
    "complained, resolved or unresolved"
)
COUNT_TWICE = "'{label}' is given twice; give each count once"
NOT_A_COUNT = "{value:g} is not a count (a whole number, 0 or more)"
COUNT_TOO_LARGE = "{value:.3g} is more answers than any survey has (at most {limit:,}); check the column"
NO_DISSATISFIED = "no 'dissatisfied' row: the survey must count respondents with a bad experience"
NO_RESPONDENTS_ROW = "give a 'respondents' or 'satisfied' row beside 'dissatisfied'"
NO_RESPONDENTS = "no respondents: the survey needs at least one"
MORE_THAN = "{what} = {value:,} is more than {of} = {limit:,} (or negative)"
COUNTS_SUMMARY = "{respondents:,} respondents, {bad:,} dissatisfied, {complained:,} complained, {resolved:,} resolved"
NPS_ASSUMED = (
    "NPS scores 0-{most} (detractors) read as a bad experience: an assumption, not a measurement; "
    "detractors include customers unhappy with price or choice, not only service"
)
COMPLAINED_NOT_COUNTED = "{count:,} row(s) complained without a bad experience not counted"
RESOLVED_NOT_COUNTED = "{count:,} row(s) resolved without a complaint not counted"
NO_ANSWER = "no respondent answered this question"
RESPONDENTS_SUMMARY = (
    "{respondents:,} respondents, {bad:,} with a bad experience, {complained:,} complained, {resolved:,} resolved"
)
NEITHER_GOOD_NOR_BAD = "'{word}' is neither good nor bad (good/bad, hyvä/huono, or blank)"
NOT_NPS = "{value:g} is not an NPS score (a whole number 0 to 10)"

#: Every text above (each constant is one, or a tuple of them), for the catalogue.
TEXTS: tuple[str, ...] = tuple(
    text
    for name, value in list(globals().items())
    if name.isupper()
    for text in ((value,) if isinstance(value, str) else value)
)
