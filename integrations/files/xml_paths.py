"""An XML element's descendants by plain path ("RltdPties/Cdtr/Nm"), found in one walk.

`Element.findtext(path)` walks the tree again on every call, and a CAMT.053 entry is asked
some thirty such questions. `Paths` walks the element once and answers from a dictionary
exactly as ElementTree does for a path of tag names: the first match in document order,
"" for a matching element without text, None when nothing matches.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element


class Paths:
    __slots__ = ("_found",)

    def __init__(self, element: Element) -> None:
        self._found: dict[str, list[Element]] = {}
        self._walk(element, "")

    def _walk(self, parent: Element, prefix: str) -> None:
        for child in parent:
            if not isinstance(child.tag, str):  # a comment or processing instruction
                continue
            path = prefix + child.tag
            self._found.setdefault(path, []).append(child)
            if len(child):
                self._walk(child, path + "/")

    def find(self, path: str) -> Element | None:
        found = self._found.get(path)
        return found[0] if found else None

    def findall(self, path: str) -> list[Element]:
        return list(self._found.get(path, ()))

    def findtext(self, path: str) -> str | None:
        found = self._found.get(path)
        return (found[0].text or "") if found else None
