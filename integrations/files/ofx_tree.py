"""ofxtools' parser with a stricter builder; imported on first use by integrations/files/ofx.py,
so the server does not load ofxtools until someone imports an OFX file."""

import xml.etree.ElementTree as ET
from typing import IO, Any

from ofxtools.Parser import OFXTree, ParseError, TreeBuilder


def read_tree(source: IO[bytes]) -> ET.Element:
    root: ET.Element = OFXTree().parse(source, parser=_StrictTreeBuilder())
    return root


class _StrictTreeBuilder(TreeBuilder):
    """ofxtools' builder, but an end tag must close the element that is open."""

    def __init__(self) -> None:
        super().__init__()
        self._open: list[str] = []

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        self._open.append(tag)
        return super().start(tag, attrs)

    def end(self, tag: Any) -> ET.Element:
        expected = self._open.pop() if self._open else None
        if tag != expected:
            raise ParseError(f"</{tag}> where </{expected}> was due (an empty element?)")
        return super().end(tag)

    def close(self) -> ET.Element:
        if self._open:
            raise ParseError(f"the file ends inside <{self._open[-1]}>")
        return super().close()
