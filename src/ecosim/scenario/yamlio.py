"""Read YAML files safely into plain Python data plus a map of where every key was written.

The reader refuses, with an ``InputError`` naming the file, anything that is not a small UTF-8
YAML text: missing files, directories, files over ``MAX_BYTES`` (checked by size before
reading), binary files (NUL bytes, invalid UTF-8), empty files, syntax errors (with line and
column), duplicate keys, custom tags (``!!python/object`` and friends are never constructed) and
alias bombs. Documents are parsed with ruamel.yaml's round-trip loader, which keeps line numbers
and builds only plain containers and scalars.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecosim.errors import InputError, Problem

MAX_BYTES = 5 * 1024 * 1024
"""Largest input file accepted (bytes). Scenario and experiment files are a few kB."""

MAX_NODES = 1_000_000
"""Largest number of YAML nodes after alias expansion (guards against alias bombs)."""

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Loc:
    """Where a key (or list item) was written: file name as given, 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None


@dataclass
class Document:
    """A parsed YAML file: plain data and the location of every key path in it."""

    path: Path
    data: Any
    locs: dict[KeyPath, Loc]


def locate(path: KeyPath, locs: dict[KeyPath, Loc], name: str) -> Loc:
    """Where ``path`` was written: its own location, else its nearest written parent's, else
    just the file ``name``."""
    for n in range(len(path), -1, -1):
        lc = locs.get(path[:n])
        if lc is not None:
            return lc
    return Loc(name)


def display_name(path: Path) -> str:
    """A path as shown in messages: relative to the current directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return os.path.normpath(str(path))


def _problem(file: str, msg: str, line: int | None = None, col: int | None = None,
             path: KeyPath = ()) -> InputError:
    p = Problem(file, line, col, path, msg)
    return InputError(str(p), [p])


def read_text(path: str | os.PathLike, what: str = "scenario") -> str:
    """The text of a small UTF-8 file, or an ``InputError`` saying why it cannot be used."""
    p = Path(path)
    name = display_name(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise _problem(name, f"no such {what} file") from None
    except OSError as e:
        raise _problem(name, f"cannot read {what} file: {e.strerror or e}") from None
    if p.is_dir():
        raise _problem(name, f"is a directory, not a {what} file")
    if st.st_size > MAX_BYTES:
        raise _problem(name, f"file is {st.st_size / 1e6:.1f} MB; {what} files are limited to "
                             f"{MAX_BYTES / 1e6:.0f} MB (is this the right file?)")
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise _problem(name, f"cannot read {what} file: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:  # grew while we looked, or a special file
        raise _problem(name, f"file is larger than {MAX_BYTES / 1e6:.0f} MB")
    if b"\x00" in raw:
        off = raw.index(b"\x00")
        raise _problem(name, f"binary file (NUL byte at offset {off}), not a YAML text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _problem(name, f"not UTF-8 text (invalid byte 0x{raw[e.start]:02x} at offset "
                             f"{e.start}); save the file as UTF-8", line) from None
    return text


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt", pure=True)
    y.allow_duplicate_keys = False
    return y


def parse_text(text: str, name: str, what: str = "scenario") -> tuple[Any, dict[KeyPath, Loc]]:
    """Parse YAML text into plain data and key locations; errors name ``name``."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if not text.strip():
        raise _problem(name, f"file is empty; a {what} file needs at least a 'name'")
    try:
        node = _yaml().load(io.StringIO(text))
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = e.problem or e.context or "invalid YAML"
        if e.problem and e.context:
            msg += f" ({e.context}"
            if e.context_mark is not None and e.problem_mark is not None and \
                    e.context_mark.line != e.problem_mark.line:
                msg += f" started on line {e.context_mark.line + 1}"
            msg += ")"
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        raise _problem(name, f"YAML syntax error: {msg}", line, col) from None
    except YAMLError as e:
        raise _problem(name, f"YAML syntax error: {e}") from None
    except RecursionError:
        raise _problem(name, "YAML nesting is too deep") from None
    if node is None:
        raise _problem(name, f"file is empty (only comments); a {what} file needs at least a "
                             "'name'")
    conv = _Converter(name)
    data = conv.convert(node, (), None)
    return data, conv.locs


class _Converter:
    """Round-trip nodes -> plain dict/list/scalars, recording each key's location."""

    def __init__(self, name: str):
        self.name = name
        self.locs: dict[KeyPath, Loc] = {}
        self.count = 0

    def _loc(self, lc: tuple[int, int] | None) -> Loc:
        if lc is None:
            return Loc(self.name)
        return Loc(self.name, lc[0] + 1, lc[1] + 1)

    def _fail(self, msg: str, path: KeyPath) -> InputError:
        loc = self.locs.get(path, Loc(self.name))
        return _problem(self.name, msg, loc.line, loc.column, path)

    def convert(self, node: Any, path: KeyPath, lc: tuple[int, int] | None) -> Any:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(f"too many YAML nodes (over {MAX_NODES:,}; alias expansion?)", ())
        if path or lc is not None:
            self.locs[path] = self._loc(lc)
        elif not path:
            self.locs[()] = Loc(self.name, 1, 1)
        if len(path) > 100:
            raise self._fail("YAML nesting is too deep", path)
        if isinstance(node, TaggedScalar):
            raise self._fail(f"unsupported YAML tag {node.tag.value!r}", path)
        tag = getattr(getattr(node, "tag", None), "value", None)
        if isinstance(node, CommentedMap):
            if tag is not None and tag not in ("tag:yaml.org,2002:map",):
                raise self._fail(f"unsupported YAML tag {tag!r}", path)
            out: dict[Any, Any] = {}
            for k, v in node.items():
                if not isinstance(k, (str, int, float, bool)) or k is None:
                    raise self._fail(f"unsupported mapping key {k!r} (use plain text keys)",
                                     path)
                try:
                    klc = node.lc.key(k)
                except (KeyError, TypeError, AttributeError):
                    klc = lc  # key brought in by a '<<' merge: point at the mapping
                out[k] = self.convert(v, (*path, k), klc)
            return out
        if isinstance(node, CommentedSeq):
            if tag is not None and tag not in ("tag:yaml.org,2002:seq",):
                raise self._fail(f"unsupported YAML tag {tag!r}", path)
            items = []
            for i, v in enumerate(node):
                try:
                    ilc = node.lc.item(i)
                except (KeyError, TypeError, AttributeError, IndexError):
                    ilc = lc
                items.append(self.convert(v, (*path, i), ilc))
            return items
        if node is None or isinstance(node, bool):
            return node
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        if isinstance(node, str):
            return str(node)
        if isinstance(node, (_dt.date, _dt.datetime)):
            return node.isoformat()
        raise self._fail(f"unsupported YAML value of type {type(node).__name__}", path)


def read_document(path: str | os.PathLike, what: str = "scenario") -> Document:
    """Read and parse one YAML file (no ``extends`` resolution)."""
    p = Path(path)
    text = read_text(p, what)
    data, locs = parse_text(text, display_name(p), what)
    return Document(p, data, locs)


def parse_value(text: str) -> Any:
    """A command-line value read as YAML: ``3`` int, ``0.5`` float, ``[1,2]`` list, ``x`` str."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    if text.strip() == "":
        return ""
    try:
        v = YAML(typ="safe", pure=True).load(text)
    except YAMLError:
        return text
    if isinstance(v, (_dt.date, _dt.datetime)):
        return text
    return v


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML text (keys in insertion order)."""
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    y.representer.sort_base_mapping_type_on_output = False
    y.width = 100
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()
