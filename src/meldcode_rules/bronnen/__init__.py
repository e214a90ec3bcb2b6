"""The source legend: what every tag in a ``bron`` stands for (title, publisher, year, address).

Rules cite their sources with short tags (``[NJI]``, ``[WPO]``); a professional who reads a
judgement must be able to look each one up. The legend ships in the package as data
(``bronnen.yaml``), is validated by :class:`Bron`, and is rendered in ``docs/bronnen.md``,
by ``explain`` and by ``render``.
"""

from meldcode_rules.bronnen.legenda import (
    TAG_PATTERN,
    Bron,
    Legenda,
    bron_problemen,
    bronnen_voor,
    legenda,
    markdown,
    tags_in,
)

__all__ = ["TAG_PATTERN", "Bron", "Legenda", "bron_problemen", "bronnen_voor", "legenda", "markdown", "tags_in"]
