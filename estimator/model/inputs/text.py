"""Text the model writes for people (notes, step labels, error messages) that another language
can say too.

A ``Text`` is an ordinary English string, so everything that prints or compares it works as
before; it also keeps the template it was made from and the values filled into it, so the
presentation layer can look the template up in a language's catalogue and fill in the same
values written the local way (``estimator.present.i18n.say``). The model itself stays free of
any catalogue or locale.
"""

from __future__ import annotations

from typing import Any


class Text(str):
    """English text that remembers its template and values.

    >>> note = Text("{count:,.0f} unhappy customers", count=1234.0)
    >>> note, note.template, note.values
    ('1,234 unhappy customers', '{count:,.0f} unhappy customers', {'count': 1234.0})
    >>> Text("plain") == "plain"
    True
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Text:
        made = super().__new__(cls, template.format(**values) if values else template)
        made.template = template
        made.values = values
        return made

    def __reduce__(self):  # pickles (Streamlit's cache) keep the template and values
        return (_remake, (self.template, self.values))


def _remake(template: str, values: dict[str, Any]) -> Text:
    return Text(template, **values)
