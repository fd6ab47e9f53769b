"""Bookmarks added to a finished PDF as an incremental update, in memory bounded by the outline.

QPdfWriter writes no outline. pypdf reads the file lazily (the catalog and the page tree only)
and serialises the new objects; they are appended after the sheets already written, with a
new catalog and a cross-reference section pointing back to the old one (PDF 1.7, 7.5.6), so
the sheets are never parsed or copied into memory, however many there are.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

Outline = list  # [(title, page index, children)], children in the same shape


def append_outline(path: Path, outline: Outline) -> None:
    """Bookmarks (title, page index, children) added to the PDF at path, opened in the reader's
    outline pane; raises pypdf's errors or OSError."""
    with open(path, "rb") as source:
        reader = PdfReader(source)
        pages = [page.indirect_reference for page in reader.pages]
        root_ref = reader.trailer.raw_get("/Root")
        catalog = DictionaryObject(dict.items(reader.trailer["/Root"]))
        trailer = DictionaryObject((key, value) for key, value in dict.items(reader.trailer)
                                   if key not in ("/Size", "/Prev", "/XRefStm"))
        size = int(reader.trailer["/Size"])
        source.seek(0, io.SEEK_END)
        end = source.tell()
        source.seek(max(0, end - 1024))
        prev = int(re.findall(rb"startxref\s+(\d+)", source.read())[-1])
    objects = outline_objects(outline, pages, size)
    catalog[NameObject("/Outlines")] = IndirectObject(size, 0, None)
    catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
    with open(path, "ab") as out:
        out.write(b"\n")
        offsets = {root_ref.idnum: write_object(out, root_ref.idnum, root_ref.generation,
                                                catalog)}
        for number, obj in enumerate(objects, start=size):
            offsets[number] = write_object(out, number, 0, obj)
        xref = out.tell()
        out.write(b"xref\n")
        out.write(f"{root_ref.idnum} 1\n{offsets[root_ref.idnum]:010d} "
                  f"{root_ref.generation:05d} n\r\n".encode())
        out.write(f"{size} {len(objects)}\n".encode())
        out.write(b"".join(f"{offsets[n]:010d} 00000 n\r\n".encode()
                           for n in range(size, size + len(objects))))
        trailer[NameObject("/Size")] = NumberObject(size + len(objects))
        trailer[NameObject("/Prev")] = NumberObject(prev)
        out.write(b"trailer\n")
        trailer.write_to_stream(out)
        out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())


def write_object(out, number: int, generation: int, obj) -> int:
    at = out.tell()
    out.write(f"{number} {generation} obj\n".encode())
    obj.write_to_stream(out)
    out.write(b"\nendobj\n")
    return at


def outline_objects(outline: Outline, pages: list, first: int) -> list[DictionaryObject]:
    """The /Outlines dictionary (object `first`) and one item per entry after it, all open."""
    objects = [DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})]

    def ref(index: int) -> IndirectObject:
        return IndirectObject(first + index, 0, None)

    def add(entries: Outline, parent: int) -> int:
        """Items for entries under the object at index parent; how many are visible."""
        indices, visible = [], 0
        for title, page, children in entries:
            item = DictionaryObject({
                NameObject("/Title"): TextStringObject(title),
                NameObject("/Parent"): ref(parent),
                NameObject("/Dest"): ArrayObject([pages[page], NameObject("/XYZ"),
                                                  NullObject(), NullObject(), NullObject()]),
            })
            objects.append(item)
            indices.append(len(objects) - 1)
            visible += 1 + add(children, indices[-1])
        for before, after in zip(indices, indices[1:], strict=False):
            objects[before][NameObject("/Next")] = ref(after)
            objects[after][NameObject("/Prev")] = ref(before)
        if indices:
            objects[parent][NameObject("/First")] = ref(indices[0])
            objects[parent][NameObject("/Last")] = ref(indices[-1])
            objects[parent][NameObject("/Count")] = NumberObject(visible)
        return visible

    add(outline, 0)
    return objects
