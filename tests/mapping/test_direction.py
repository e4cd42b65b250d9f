"""The house's direction: measures asks mapping, never the reverse, so no mapping module imports measures and no
mapping template names a measures page."""

import ast
import re
from pathlib import Path

import trygg.mapping

MAPPING = Path(trygg.mapping.__file__).parent


def imported(source: str, package: str) -> set[str]:
    """Every module (and imported name) a source imports, relative imports resolved against ``package``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return names


def measures_imports(source: str, package: str) -> set[str]:
    return {name for name in imported(source, package) if name.split(".")[:2] == ["trygg", "measures"]}


def test_no_mapping_module_imports_measures():
    offenders = {}
    for path in MAPPING.rglob("*.py"):
        package = ".".join(("trygg", "mapping", *path.relative_to(MAPPING).parent.parts))
        found = measures_imports(path.read_text(encoding="utf-8"), package)
        if found:
            offenders[str(path.relative_to(MAPPING))] = sorted(found)
    assert offenders == {}


def test_no_mapping_template_names_a_measures_url():
    """The report page links a catalogue measure through ``MeasuresConfig.catalogue_url`` (mapping asks)."""
    named = re.compile(r"""{%\s*url\s+["']measures:""")
    offenders = [str(p.relative_to(MAPPING)) for p in MAPPING.rglob("*.html") if named.search(p.read_text("utf-8"))]
    assert offenders == []


def test_the_check_catches_every_spelling_of_the_import():
    for source in (
        "from trygg.measures.catalogue import published",
        "from trygg import measures",
        "import trygg.measures.catalogue",
        "def f():\n    from trygg.measures import catalogue",
        "from ...measures import catalogue",  # relative, from trygg.mapping.views
    ):
        assert measures_imports(source, "trygg.mapping.views"), source
    assert not measures_imports("from trygg.core import legal\nfrom .models import Report", "trygg.mapping")
