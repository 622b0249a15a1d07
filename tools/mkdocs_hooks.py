"""mkdocs hooks of the documentation site: the parts of pages generated from the code, so they cannot drift.

- ``<!-- generated: error-table -->`` becomes the table of every exception class of ``uplink_python.errors``
  (and the package's other exceptions): its code, its builtin bases, what it means.
- ``<!-- generated: top-level-names -->`` becomes the table of every name of ``uplink_python.__all__``,
  each linked to its entry in the API reference.
- The benchmark figure (``benchmarks/results/ratios.png``) is published beside the performance guide,
  which includes ``benchmarks/results/results.md`` itself by a snippet.
- ``docs/architecture.md`` names repository paths in backticks (`` `testnet/satellite/satellite.go` ``,
  globs like `` `libuplinkc/ext_*.go` ``): each must exist, so the reading order follows files that move.
- After the build, every name of every public module's ``__all__`` must appear in the API reference
  (an entry of its own on the module's page, or, for a name the module re-exports from another public
  module, that module's entry) with a docstring; the build fails otherwise, naming each missing one.
"""

from __future__ import annotations

import importlib
import inspect
import re
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


# Pages whose backticked repository paths must exist (a path starts with one of REPOSITORY_DIRS).
CHECKED_PATH_PAGES = ("architecture.md",)
REPOSITORY_DIRS = ("uplink_python", "libuplinkc", "testnet", "tests", "tools", "benchmarks", "docs", "examples",
                   ".ci")
BACKTICKED = re.compile(r"`([^`\s]+)`")


def missing_repository_paths(markdown: str, root: Path = ROOT) -> list[str]:
    """The backticked repository paths of a page that name nothing in the checkout (a glob: no match)."""
    missing = []
    for token in BACKTICKED.findall(markdown):
        path = token.rstrip("/")
        if "/" not in path or path.split("/")[0] not in REPOSITORY_DIRS:
            continue
        found = any(root.glob(path)) if "*" in path else (root / path).exists()
        if not found and token not in missing:
            missing.append(token)
    return missing


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri in CHECKED_PATH_PAGES:
        missing = missing_repository_paths(markdown)
        if missing:
            from mkdocs.exceptions import PluginError

            raise PluginError(f"docs/{page.file.src_uri} names paths that do not exist: {', '.join(missing)}")
    for marker, make in (("<!-- generated: error-table -->", error_table),
                         ("<!-- generated: top-level-names -->", top_level_names),
                         ("<!-- generated: top-level-own -->", top_level_own)):
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown


def public_module_names(package: str = "uplink_python", search_path: Path = ROOT) -> list[str]:
    """The package and its public submodules at any depth (no part of the name starts with ``_``)."""
    root = search_path / package.replace(".", "/")
    names = {package}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and not any(part.startswith("_") for part in parts):
            names.add(".".join((package, *parts)))
    return sorted(names)


def public_modules() -> list[Any]:
    """The package's public submodules, each with a page in the API reference."""
    return [importlib.import_module(name) for name in public_module_names() if name != "uplink_python"]


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


def on_post_build(config: Any) -> None:
    from mkdocs.exceptions import PluginError

    problems = reference_problems(Path(config["site_dir"]) / "reference")
    if problems:
        raise PluginError("the API reference misses public names (add the docstring or the page):\n  "
                          + "\n  ".join(problems))


def reference_problems(reference_dir: Path, package: str = "uplink_python", search_path: Path = ROOT) -> list[str]:
    """What the built reference lacks: a page per public module, an entry and a docstring per ``__all__`` name.

    A name counts as documented by the entry of its own module's page (``module.name``), or, when it is
    defined in another public module, by that module's entry (the package re-exports everything). Its
    docstring is the one the reference shows (griffe's, as mkdocstrings reads it): a class's or function's,
    or for a constant or alias the string literal right after its assignment.
    """
    import griffe

    anchors: set[str] = set()
    for page in reference_dir.rglob("*.html"):
        anchors.update(re.findall(r'id="([^"]+)"', page.read_text(encoding="utf-8")))
    loaded = griffe.load(package, search_paths=[str(search_path)], resolve_aliases=True,
                         resolve_external=False)
    modules = public_module_names(package, search_path)
    problems: list[str] = []
    for module_name in modules:
        if module_name not in anchors:
            problems.append(f"{module_name}: no reference page (`::: {module_name}` under docs/reference/)")
            continue
        static = loaded if module_name == package else loaded[module_name[len(package) + 1:]]
        for name in getattr(importlib.import_module(module_name), "__all__", []):
            where = f"{module_name}.{name}"
            member = static.members.get(name)
            if member is None:
                problems.append(f"{where}: not found in the source (griffe)")
                continue
            try:
                target = member.final_target if member.is_alias else member
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                # A name re-exported from outside the package (ctypes...): its own library documents it,
                # and the module's docstring must say where it comes from.
                if f"``{name}``" not in (static.docstring.value if static.docstring else ""):
                    problems.append(f"{where}: re-exported from outside the package; name ``{name}`` in the "
                                    "module's docstring")
                continue
            home = target.module.path
            if where not in anchors and not (home in modules and target.path in anchors):
                problems.append(f"{where}: no entry in the reference")
            if not (target.docstring and target.docstring.value.strip()):
                problems.append(f"{where}: no docstring ({target.path})")
    return problems
