"""The layout shows the architecture: a subpackage per stage, no import cycles, small folders.

The import graph is read from the source (every ``import``, at module level or inside a
function, except under ``if TYPE_CHECKING:``): importing ``newsevents.places.index`` is an edge to
that module, and ``from newsevents.places import X`` (X not a submodule) an edge to the package's
``__init__``. A cycle in that graph fails the test with the modules on it.
"""
from __future__ import annotations

import ast
from pathlib import Path

import newsevents

PKG = Path(newsevents.__file__).parent
STAGES = ["ingest", "nlp", "actors", "events", "dates", "places", "quotes", "features", "pipeline",
          "store", "fusion", "export", "evaluate", "cli", "ontology"]


def _modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        parts = ("newsevents",) + p.relative_to(PKG).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                lines.update(range(sub.lineno, (sub.end_lineno or sub.lineno) + 1))
    return lines


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_lines(tree)
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    src = ".".join(base + ([node.module] if node.module else []))
                else:
                    src = node.module or ""
                for a in node.names:
                    sub = f"{src}.{a.name}"
                    targets.append(sub if sub in mods else src)
            for t in targets:
                if t in mods and t != mod:
                    graph[mod].add(t)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert find_cycles(import_graph()) == []


def test_the_cycle_finder_sees_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c"]]


def test_one_subpackage_per_stage_and_no_crowded_folder():
    for stage in STAGES:
        assert (PKG / stage / "__init__.py").is_file(), stage
    for folder in [PKG, *[p for p in PKG.rglob("*") if p.is_dir()]]:
        n = len(list(folder.glob("*.py")))
        assert n <= 20, f"{folder} holds {n} modules"
    # the top level holds only the package-wide modules, no stage code
    top = sorted(p.stem for p in PKG.glob("*.py"))
    assert top == ["__init__", "errors", "records", "registry"]


def test_stage_data_lives_beside_its_code():
    assert not (PKG / "data").exists()
    for stage, name in [("actors", "actors_leaders.tsv"), ("events", "events_verbs.tsv"),
                        ("places", "geo_countries.tsv"), ("features", "features_themes.json"),
                        ("export", "gdelt_countries.tsv"), ("ontology", "cameo_codes.tsv")]:
        assert (PKG / stage / "data" / name).is_file()
