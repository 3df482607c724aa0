"""The one exception type for user mistakes: bad input files, bad options, refused outputs.

``InputError`` carries a readable, possibly multi-line message (the CLI prints it as
``error: ...`` and exits with status 2, without a traceback) and, when it comes from a scenario
or experiment file, the list of individual ``Problem`` s behind it (file, line, column, key
path, message) so that programs can inspect them.
"""

from __future__ import annotations

from dataclasses import dataclass


def closest(word: str, options, n: int = 1) -> list[str]:
    """Up to ``n`` of ``options`` closest to ``word`` (difflib ratio >= 0.6), else those that
    start with it, else those sharing its first five letters (case aside)."""
    import difflib

    opts = sorted({str(o) for o in options})
    w = str(word)
    return (difflib.get_close_matches(w, opts, n=n, cutoff=0.6)
            or [o for o in opts if o.startswith(w)][:n]
            or [o for o in opts if len(w) >= 5 and o[:5].lower() == w[:5].lower()][:n])


def did_you_mean(word: str, options, n: int = 1) -> str:
    """``"; did you mean 'x'?"`` (or ``'x' or 'y'``) for a misspelt ``word``, or ``""``: the
    hint every readable error about an unknown key or name ends with."""
    m = closest(word, options, n)
    if not m:
        return ""
    return "; did you mean " + " or ".join(f"'{x}'" for x in m) + "?"


def format_path(path: tuple[str | int, ...]) -> str:
    """``("districts", 0, "name")`` -> ``"districts.0.name"`` (``"(top level)"`` if empty)."""
    return ".".join(str(p) for p in path) if path else "(top level)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, 1-based line and column, key path) and what."""

    file: str | None
    line: int | None
    column: int | None
    path: tuple[str | int, ...]
    message: str

    def where(self) -> str:
        """``file:line:col`` (as much of it as is known)."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        if self.path:
            return f"{self.where()}: {format_path(self.path)}: {self.message}"
        return f"{self.where()}: {self.message}"


class InputError(Exception):
    """A mistake in what the user gave us (file, option, output directory); never a bug.

    ``str(err)`` is the full readable message; ``err.problems`` lists the individual problems
    when there are several (empty for a simple one-line error).
    """

    def __init__(self, message: str, problems: list[Problem] | tuple[Problem, ...] = ()):
        super().__init__(message)
        self.message = message
        self.problems: tuple[Problem, ...] = tuple(problems)

    @classmethod
    def from_problems(cls, problems: list[Problem], what: str) -> InputError:
        """One error listing every problem, headed by ``what`` (e.g. the file name)."""
        n = len(problems)
        if n == 1:
            return cls(str(problems[0]), problems)
        head = f"{what}: {n} problems"
        return cls(head + "\n" + "\n".join(f"  {p}" for p in problems), problems)

    def __str__(self) -> str:
        return self.message
