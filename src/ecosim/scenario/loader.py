"""Generic YAML -> pydantic loading with ``extends:``, ``--set`` overrides and located errors.

Used for scenario files (``load_scenario``) and experiment files alike::

    obj = load_model_file("scenarios/x.yaml", Scenario, overrides=["run.seed=7"])

Steps: read the file safely (``yamlio``), resolve the ``extends:`` chain with a deep merge (dicts
merge recursively; lists and scalars replace), apply overrides (``a.b.0.c=value``, value parsed as
YAML), validate with pydantic, then run ``semantic_errors()`` if the model has it. Every problem
becomes a ``Problem`` with the file and line where the offending key was written (the right file
of an ``extends`` chain, or the ``--set`` option), and all of them are raised together as one
``InputError``.
"""

from __future__ import annotations

import collections.abc
import datetime as _dt
import difflib
import enum
import os
import re
import types
import typing
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel, ValidationError

from ecosim.errors import InputError, Problem, format_path
from ecosim.scenario.yamlio import (
    KeyPath,
    Loc,
    display_name,
    dump_yaml,
    parse_text,
    parse_value,
    read_document,
)

Override = str | tuple[str | KeyPath, Any]
"""``"a.b.c=value"`` (value parsed as YAML) or ``("a.b.c", value)`` / ``(("a", "b"), value)``."""

_MISSING = object()


# ------------------------------------------------------------------------------ public API
def load_model_file(path: str | os.PathLike, model_cls: type[BaseModel],
                    overrides: collections.abc.Iterable[Override] = ()) -> Any:
    """Read ``path`` (resolving ``extends:``), apply ``overrides``, validate as ``model_cls``.

    Raises ``InputError`` listing every problem found, each with file, line, key path and hint.
    """
    what = _what(model_cls)
    data, locs = resolve_file(path, what)
    apply_overrides(data, locs, overrides, model_cls)
    return validate_data(data, locs, model_cls, display_name(Path(path)))


def load_model_text(text: str, model_cls: type[BaseModel], name: str = "<string>",
                    overrides: collections.abc.Iterable[Override] = ()) -> Any:
    """Like ``load_model_file`` for YAML text (``extends:`` is resolved relative to the cwd)."""
    what = _what(model_cls)
    data, locs = parse_text(text, name, what)
    data, locs = _resolve_extends(data, locs, Path.cwd() / "<string>", name, (), what)
    apply_overrides(data, locs, overrides, model_cls)
    return validate_data(data, locs, model_cls, name)


def resolve_file(path: str | os.PathLike, what: str = "scenario"
                 ) -> tuple[dict[str, Any], dict[KeyPath, Loc]]:
    """The file's data with its ``extends:`` chain merged in, and where each key was written."""
    return _resolve(Path(path), (), what)


def apply_overrides(data: dict[str, Any], locs: dict[KeyPath, Loc],
                    overrides: collections.abc.Iterable[Override],
                    model_cls: type[BaseModel] | None = None) -> None:
    """Apply ``a.b.c=value`` overrides in place (checked against ``model_cls``'s fields).

    A key missing from ``data`` but valid in the schema is created (from the field's default
    when it has one); an unknown key, a bad list index or a path through a scalar raises
    ``InputError`` with a did-you-mean hint.
    """
    for ov in overrides:
        if isinstance(ov, str):
            spec = ov
            key, sep, raw = ov.partition("=")
            if not sep or not key.strip():
                raise InputError(f"--set expects KEY=VALUE (e.g. run.seed=7), got {ov!r}")
            parts: list[str | int] = list(key.strip().split("."))
            value = parse_value(raw)
        else:
            p, value = ov
            parts = list(p.split(".") if isinstance(p, str) else p)
            spec = f"{'.'.join(str(x) for x in parts)}={value!r}"
        if any(isinstance(x, str) and x == "" for x in parts):
            raise InputError(f"--set {spec}: empty key in path {'.'.join(map(str, parts))!r}")
        _set_path(data, locs, parts, value, model_cls, f"--set {spec}")


def validate_data(data: Any, locs: dict[KeyPath, Loc], model_cls: type[BaseModel],
                  name: str) -> Any:
    """Validate resolved data as ``model_cls``; map every error to the line that caused it."""
    if not isinstance(data, dict):
        raise InputError(str(Problem(name, 1, 1, (), "the top level must be a mapping of "
                                     f"'key: value' lines, not a {_typename(data)}")))
    try:
        obj = model_cls.model_validate(data)
    except ValidationError as exc:
        problems = [_from_pydantic(err, data, locs, model_cls, name)
                    for err in exc.errors(include_url=False)]
        raise InputError.from_problems(_sorted(problems), name) from None
    flags = [_located(path, f"expected a number, got {val!r} (true/false is not a number)",
                      locs, name) for path, val in _bools_as_numbers(data, obj, ())]
    if flags:
        raise InputError.from_problems(_sorted(flags), name)
    check = getattr(obj, "semantic_errors", None)
    if callable(check):
        sem = [_located(tuple(path), str(msg), locs, name) for path, msg in check()]
        if sem:
            raise InputError.from_problems(_sorted(sem), name)
    return obj


def _bools_as_numbers(data: Any, obj: Any, at: KeyPath) -> list[tuple[KeyPath, bool]]:
    """Where the input wrote true/false for an int or float field (pydantic would take it as
    1/0, so ``horizon_years=true`` would quietly mean one year)."""
    out: list[tuple[KeyPath, bool]] = []
    if isinstance(obj, BaseModel) and isinstance(data, dict):
        fields = type(obj).model_fields
        for key, val in data.items():
            if key not in fields:
                continue
            sub = getattr(obj, key, None)
            if isinstance(val, bool) and not isinstance(sub, bool) \
                    and isinstance(sub, (int, float)):
                out.append(((*at, key), val))
            else:
                out.extend(_bools_as_numbers(val, sub, (*at, key)))
    elif isinstance(obj, (list, tuple)) and isinstance(data, list):
        for i, (d, o) in enumerate(zip(data, obj, strict=False)):
            if isinstance(d, bool) and not isinstance(o, bool) and isinstance(o, (int, float)):
                out.append(((*at, i), d))
            else:
                out.extend(_bools_as_numbers(d, o, (*at, i)))
    elif isinstance(obj, dict) and isinstance(data, dict):
        for key, val in data.items():
            if key in obj:
                o = obj[key]
                if isinstance(val, bool) and not isinstance(o, bool) \
                        and isinstance(o, (int, float)):
                    out.append(((*at, key), val))
                else:
                    out.extend(_bools_as_numbers(val, o, (*at, key)))
    return out


def dump_model(obj: BaseModel) -> str:
    """A validated model as YAML text that loads back to an equal object."""
    return dump_yaml(to_plain(obj.model_dump(mode="python")))


def to_plain(value: Any) -> Any:
    """Model-dump output as YAML/JSON-friendly plain data (tuples -> lists, enums -> values)."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, (str, int)) else k: to_plain(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(to_plain(v) for v in value)
    if isinstance(value, enum.Enum):
        return to_plain(value.value)
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return value.item()
    return value


# ------------------------------------------------------------------------------- extends
def _what(model_cls: type) -> str:
    n = model_cls.__name__.lower()
    return n if n in ("scenario", "experiment") else "input"


def _resolve(path: Path, chain: tuple[Path, ...], what: str
             ) -> tuple[dict[str, Any], dict[KeyPath, Loc]]:
    doc = read_document(path, what)
    name = display_name(path)
    if not isinstance(doc.data, dict):
        raise InputError(str(Problem(name, 1, 1, (), "the top level must be a mapping of "
                                     f"'key: value' lines, not a {_typename(doc.data)}")))
    return _resolve_extends(doc.data, doc.locs, path, name, chain, what)


def _resolve_extends(data: Any, locs: dict[KeyPath, Loc], path: Path, name: str,
                     chain: tuple[Path, ...], what: str
                     ) -> tuple[dict[str, Any], dict[KeyPath, Loc]]:
    if not isinstance(data, dict):
        raise InputError(str(Problem(name, 1, 1, (), "the top level must be a mapping of "
                                     f"'key: value' lines, not a {_typename(data)}")))
    me = path.resolve()
    chain = (*chain, me)
    if "extends" not in data:
        return data, locs
    ext = data.pop("extends")
    eloc = locs.get(("extends",), Loc(name))
    locs = {p: lc for p, lc in locs.items() if not p or p[0] != "extends"}

    def err(msg: str) -> InputError:
        return InputError(str(Problem(eloc.file, eloc.line, eloc.column, ("extends",), msg)))

    if not isinstance(ext, str) or not ext.strip():
        raise err(f"must be the name of a {what} file (relative to this file), "
                  f"not {ext!r}")
    base = path.parent / ext.strip()
    if base.resolve() in chain:
        names = [display_name(p) for p in chain] + [display_name(base)]
        raise err("cycle: " + " -> ".join(names))
    if not base.exists():
        raise err(f"no such file {ext!r} (looked for {display_name(base)})")
    base_data, base_locs = _resolve(base, chain, what)
    merged = deep_merge(base_data, data)
    out_locs = {p: lc for p, lc in base_locs.items() if not _overridden(p, base_data, data)}
    out_locs.update(locs)
    return merged, out_locs


def deep_merge(base: Any, over: Any) -> Any:
    """``over`` on top of ``base``: dicts merge recursively, lists and scalars replace."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = deep_merge(base[k], v) if k in base else v
        return out
    return over


def _overridden(path: KeyPath, base: Any, over: Any) -> bool:
    """Whether ``over`` replaces what ``base`` wrote at ``path`` (so base's location is stale)."""
    b, o = base, over
    for k in path:
        if not (isinstance(b, dict) and isinstance(o, dict)):
            return True
        if k not in o:
            return False
        b, o = b.get(k), o[k]
    return True


# ----------------------------------------------------------------------------- overrides
def _kind(tp: Any) -> tuple[str, Any]:
    """Classify an annotation: ('model', cls) | ('list', item) | ('dict', value) | ('any', None)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _kind(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        kinds = [_kind(a) for a in args]
        structured = [k for k in kinds if k[0] != "scalar"]
        if len(structured) == 1:
            return structured[0]
        if structured and all(k[0] == "model" for k in structured):
            # a tagged union of sections (the AEB's regimes): hints and paths use the variant
            # with the most fields
            return max(structured, key=lambda k: len(k[1].model_fields))
        return ("any", None) if structured else ("scalar", None)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "model", tp
    if origin in (list, tuple, set, frozenset, collections.abc.Sequence):
        args = typing.get_args(tp)
        return "list", (args[0] if args else Any)
    if origin in (dict, collections.abc.Mapping):
        args = typing.get_args(tp)
        return "dict", (args[1] if len(args) == 2 else Any)
    if tp is Any or tp is None:
        return "any", None
    return "scalar", None


def _field_default(info: Any) -> Any:
    from pydantic_core import PydanticUndefined

    if info.default_factory is not None:
        try:
            v = info.default_factory()
        except TypeError:
            return _MISSING
    elif info.default is not PydanticUndefined:
        v = info.default
    else:
        return _MISSING
    if isinstance(v, BaseModel):
        return to_plain(v.model_dump(mode="python"))
    return to_plain(v)


def _hint(word: str, options: collections.abc.Iterable[str]) -> str:
    opts = sorted({str(o) for o in options})
    m = difflib.get_close_matches(str(word), opts, n=3, cutoff=0.6) or \
        [o for o in opts if o.startswith(str(word))][:3]
    if len(m) == 1:
        return f"; did you mean '{m[0]}'?"
    if m:
        return "; did you mean " + " or ".join(f"'{x}'" for x in m) + "?"
    if opts and len(opts) <= 12:
        return "; valid keys: " + ", ".join(opts)
    return ""


def _set_path(data: dict, locs: dict[KeyPath, Loc], parts: list[str | int], value: Any,
              model_cls: type[BaseModel] | None, spec: str) -> None:
    node: Any = data
    kind: tuple[str, Any] = ("model", model_cls) if model_cls is not None else ("any", None)
    done: list[str | int] = []

    def err(msg: str) -> InputError:
        return InputError(str(Problem(spec, None, None, tuple(done), msg)))

    for i, raw in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            try:
                idx = int(raw)
            except (TypeError, ValueError):
                done.append(raw)
                raise err(f"'{format_path(tuple(done[:-1]))}' is a list; use a number "
                          f"(0 to {len(node) - 1}) instead of {raw!r}") from None
            done.append(idx)
            if idx < 0:
                raise err(f"negative list index {idx}; count from 0 (0 to {len(node) - 1})")
            if idx >= len(node):
                raise err(f"list index out of range (the list has {len(node)} items)")
            sub = kind[1] if kind[0] == "list" else None
            sub_kind = _kind(sub) if sub is not None else ("any", None)
            if last:
                node[idx] = _merged(node[idx], value, locs, (*done,))
            else:
                node = _descend(node, idx, sub_kind, err)
            kind = sub_kind
            continue
        if not isinstance(node, dict):
            raise err(f"is a {_typename(node)} value, not a mapping; cannot set "
                      f"'{'.'.join(str(x) for x in parts)}'")
        key = str(raw)
        done.append(key)
        sub_kind: tuple[str, Any] = ("any", None)
        default: Any = _MISSING
        if kind[0] == "model":
            fields = kind[1].model_fields
            if key not in fields:
                raise err("unknown key" + _hint(key, fields))
            sub_kind = _kind(fields[key].annotation)
            default = _field_default(fields[key])
        elif kind[0] == "dict":
            sub_kind = _kind(kind[1])
        elif kind[0] == "scalar":
            raise err("cannot set a key inside a plain value")
        elif key not in node and not last:
            raise err("unknown key" + _hint(key, node))
        if last:
            node[key] = _merged(node.get(key), value, locs, (*done,))
            break
        if key not in node or node[key] is None:
            if sub_kind[0] == "list" or isinstance(default, list):
                raise err("this list is not in the file; set the whole list, e.g. "
                          f"{'.'.join(map(str, done))}=[...]")
            node[key] = default if isinstance(default, dict) else {}
        node = _descend(node, key, sub_kind, err)
        kind = sub_kind
    full = tuple(done)
    if not isinstance(value, dict):
        for p in [p for p in locs if p[: len(full)] == full]:
            del locs[p]
    locs[full] = Loc(spec)


def _merged(old: Any, value: Any, locs: dict[KeyPath, Loc], at: KeyPath) -> Any:
    """A mapping value set onto a mapping merges into it the way ``extends:`` does (keys it
    does not name keep their values); anything else replaces. Locations of the keys it sets
    are dropped (they now come from the override)."""
    if not (isinstance(old, dict) and isinstance(value, dict)):
        return value
    merged = deep_merge(old, value)
    for p in [p for p in locs if len(p) > len(at) and p[: len(at)] == at
              and _overridden(p[len(at):], old, value)]:
        del locs[p]
    return merged


def _descend(node: Any, key: Any, sub_kind: tuple[str, Any], err) -> Any:
    nxt = node[key]
    if not isinstance(nxt, (dict, list)):
        raise err(f"is a {_typename(nxt)} value, not a mapping or list")
    return nxt


# ------------------------------------------------------------------------------- errors
def _typename(v: Any) -> str:
    if v is None:
        return "null"
    return {dict: "mapping", list: "list", str: "text", bool: "true/false", int: "integer",
            float: "number"}.get(type(v), type(v).__name__)


def _data_path(loc: tuple, data: Any, missing: bool) -> KeyPath:
    """Pydantic's error location as a key path into ``data`` (dropping union-variant tags)."""
    out: list[str | int] = []
    node = data
    for j, k in enumerate(loc):
        last = j == len(loc) - 1
        if isinstance(node, dict) and k in node:
            out.append(k)
            node = node[k]
        elif isinstance(node, list) and isinstance(k, int) and -len(node) <= k < len(node):
            out.append(k)
            node = node[k]
        elif isinstance(node, dict) and isinstance(k, str) and k.isdigit() and int(k) in node:
            out.append(int(k))
            node = node[int(k)]
        elif last and missing:
            out.append(k)
        # else: a union tag such as 'function-after[...]' or 'str': skip it
    return tuple(out)


def _model_at(model_cls: type[BaseModel], path: KeyPath) -> tuple[str, Any]:
    kind: tuple[str, Any] = ("model", model_cls)
    for k in path:
        if kind[0] == "model":
            f = kind[1].model_fields.get(k) if isinstance(k, str) else None
            if f is None:
                return "any", None
            kind = _kind(f.annotation)
        elif kind[0] in ("list", "dict"):
            kind = _kind(kind[1])
        else:
            return "any", None
    return kind


def _locate(path: KeyPath, locs: dict[KeyPath, Loc], name: str) -> Loc:
    for n in range(len(path), -1, -1):
        lc = locs.get(path[:n])
        if lc is not None:
            return lc
    return Loc(name)


def _located(path: KeyPath, msg: str, locs: dict[KeyPath, Loc], name: str) -> Problem:
    lc = _locate(path, locs, name)
    return Problem(lc.file, lc.line, lc.column, path, msg)


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def _from_pydantic(err: dict, data: Any, locs: dict[KeyPath, Loc],
                   model_cls: type[BaseModel], name: str) -> Problem:
    etype = err.get("type", "")
    path = _data_path(tuple(err.get("loc", ())), data, missing=etype == "missing")
    msg = str(err.get("msg", "invalid value"))
    if etype == "missing":
        desc = None
        parent = _model_at(model_cls, path[:-1])
        if parent[0] == "model" and isinstance(path[-1:][0] if path else None, str):
            f = parent[1].model_fields.get(path[-1])
            desc = f.description if f is not None else None
        msg = "required field is missing" + (f" ({desc})" if desc else "")
    elif etype == "extra_forbidden":
        parent = _model_at(model_cls, path[:-1])
        valid = parent[1].model_fields if parent[0] == "model" else ()
        msg = "unknown key" + _hint(str(path[-1]) if path else "", valid)
    else:
        msg = re.sub(r"^Value error, ", "", msg)
        msg = re.sub(r"^Input should", "should", msg)
        inp = err.get("input", _MISSING)
        if inp is not _MISSING and not isinstance(inp, (dict, list)):
            msg += f" (got {_short(inp)})"
    return _located(path, msg, locs, name)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0))
