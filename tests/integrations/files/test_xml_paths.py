"""`Paths` answers plain-path questions exactly as ElementTree does."""

from itertools import product
from xml.etree.ElementTree import Element, SubElement

from hypothesis import given
from hypothesis import strategies as st

from integrations.files.xml_paths import Paths

TAGS = ["A", "B", "Nm"]
Shape = tuple[str, str | None, list["Shape"]]

shapes: st.SearchStrategy[Shape] = st.recursive(
    st.tuples(st.sampled_from(TAGS), st.none() | st.text(max_size=3), st.just([])),
    lambda children: st.tuples(
        st.sampled_from(TAGS), st.none() | st.text(max_size=3), st.lists(children, max_size=4)
    ),
    max_leaves=15,
)


def build(parent: Element, shape: Shape) -> None:
    tag, text, children = shape
    element = SubElement(parent, tag)
    element.text = text
    for child in children:
        build(element, child)


@given(st.lists(shapes, max_size=4))
def test_find_findall_and_findtext_agree_with_elementtree(tree: list[Shape]) -> None:
    root = Element("Ntry")
    for shape in tree:
        build(root, shape)
    paths = Paths(root)
    for depth in (1, 2, 3):
        for parts in product(TAGS, repeat=depth):
            path = "/".join(parts)
            assert paths.findtext(path) == root.findtext(path), path
            assert paths.find(path) is root.find(path), path
            assert paths.findall(path) == root.findall(path), path
