"""mkdocs hooks of the documentation site: the parts of pages generated from the code, so they cannot drift.

- ``<!-- generated: error-table -->`` becomes the table of every exception class of ``uplink_python.errors``
  (and the package's other exceptions): its code, its builtin bases, what it means.
- ``<!-- generated: top-level-names -->`` becomes the table of every name of ``uplink_python.__all__``,
  each linked to its entry in the API reference.
- The benchmark figure (``benchmarks/results/ratios.png``) is published beside the performance guide,
  which includes ``benchmarks/results/results.md`` itself by a snippet.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

BENCHMARK_FIGURE = ROOT / "benchmarks" / "results" / "ratios.png"
BENCHMARK_FIGURE_URI = "guides/ratios.png"  # beside guides/performance.md, where results.md's image link points


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    files.append(File.generated(config, BENCHMARK_FIGURE_URI, abs_src_path=str(BENCHMARK_FIGURE)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    for marker, make in (("<!-- generated: error-table -->", error_table),
                         ("<!-- generated: top-level-names -->", top_level_names),
                         ("<!-- generated: top-level-own -->", top_level_own)):
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown


def public_modules() -> list[Any]:
    """The package's public submodules (no leading underscore), each with a page in the API reference."""
    import importlib
    import uplink_python

    package = Path(uplink_python.__file__).parent
    names = sorted({path.stem for path in package.glob("*.py")} | {path.parent.name for path in package.glob("*/__init__.py")})
    return [importlib.import_module(f"uplink_python.{name}") for name in names if not name.startswith("_")]


def documented_module(name: str, obj: Any) -> str:
    """The module whose reference page documents ``obj``: the public module defining it, else the first
    public submodule exporting it, else the package itself (its page documents those names)."""
    module = getattr(obj, "__module__", None)
    if inspect.isclass(obj) or inspect.isfunction(obj):
        if isinstance(module, str) and module.startswith("uplink_python.") and "._" not in module:
            return module
    for candidate in public_modules():
        if name in public_names(candidate) and getattr(candidate, name) is obj:
            return str(candidate.__name__)
    return "uplink_python"


def public_names(module: Any) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items() if not n.startswith("_") and not inspect.ismodule(v)]
    return list(names)


def exception_classes() -> list[type[BaseException]]:
    import uplink_python

    seen: dict[type[BaseException], None] = {}
    for module in (uplink_python.errors, uplink_python):
        for name in public_names(module):
            value = getattr(module, name)
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__name__ == name:
                seen.setdefault(value, None)
    return list(seen)


def error_table() -> str:
    """Every exception: code, builtin bases, first docstring line; aliases named beside their class."""
    import uplink_python

    aliases: dict[type, list[str]] = {}
    for module in (uplink_python.errors, uplink_python):
        for name in public_names(module):
            value = getattr(module, name)
            if inspect.isclass(value) and value.__name__ != name:
                aliases.setdefault(value, []).append(name)
    rows = ["| exception | code | also a | meaning |", "|---|---|---|---|"]
    for cls in exception_classes():
        code = getattr(cls, "default_code", None)
        builtins = sorted({base.__name__ for base in cls.__mro__[1:]
                           if base.__module__ == "builtins" and base not in (Exception, BaseException, object)})
        module = documented_module(cls.__name__, cls)
        name = f"[`{cls.__name__}`][{module}.{cls.__qualname__}]"
        if aliases.get(cls):
            name += " (alias " + ", ".join(f"`{a}`" for a in sorted(set(aliases[cls]))) + ")"
        parents = [b.__name__ for b in cls.__bases__ if b.__module__ != "builtins"]
        meaning = (inspect.getdoc(cls) or "").split("\n")[0]
        if parents and parents != ["StorjException"]:
            meaning += f" Subclass of `{'`, `'.join(parents)}`."
        rows.append(f"| {name} | {f'`{code:#04x}`' if code is not None else '–'} | "
                    f"{', '.join(f'`{b}`' for b in builtins) or '–'} | {meaning} |")
    return "\n".join(rows)


def top_level_names() -> str:
    import uplink_python

    rows = ["| name | kind | documented in |", "|---|---|---|"]
    for name in public_names(uplink_python):
        value = getattr(uplink_python, name)
        module = documented_module(name, value)
        if inspect.ismodule(value):
            kind, target = "module", value.__name__
        else:
            kind = "class" if inspect.isclass(value) else "function" if callable(value) else "constant"
            qual = getattr(value, "__qualname__", name) if kind != "constant" else name
            target = f"{module}.{qual}"
        rows.append(f"| [`{name}`][{target}] | {kind} | `{module if kind != 'module' else target}` |")
    return "\n".join(rows)


def top_level_own() -> str:
    """A mkdocstrings block for the package's names that no public submodule documents."""
    import uplink_python

    own = [name for name in public_names(uplink_python)
           if not inspect.ismodule(getattr(uplink_python, name))
           and documented_module(name, getattr(uplink_python, name)) == "uplink_python"]
    members = "".join(f"\n        - {name}" for name in own)
    return f"::: uplink_python\n    options:\n      show_root_heading: false\n      members:{members}\n"
