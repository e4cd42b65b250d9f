"""The operator's environment reference, read from settings.py itself so that it cannot drift from the code."""

import ast
import inspect

from django.core.management.base import BaseCommand

from trygg import settings

READERS = {"get": "text", "env_bool": "yes/no (1, true, yes, on)", "env_list": "comma-separated list"}
CASTS = {"int": "whole number", "Path": "path"}

HEADER = """# Environment reference

Generated from `src/trygg/settings.py` by `.venv/bin/python manage.py env_reference > deploy/environment.md`;
a test fails when this file is out of date. Without any of these, Trygg runs locally on SQLite in `var/`.
Production sets at least `TRYGG_PROFILE=production`, `DJANGO_SECRET_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL`.

| variable | setting | read as | default | note |
|---|---|---|---|---|
"""


class Command(BaseCommand):
    help = "Print the environment variables that settings.py reads, as a Markdown table (deploy/environment.md)."

    def handle(self, *args, **options):
        source = inspect.getsource(settings)
        lines = source.splitlines()
        rows = []
        for statement, anchor in _statements(ast.parse(source).body):
            targets = [ast.unparse(target) for target in statement.targets]
            for node in ast.walk(statement):
                read = _env_read(node)
                if read:
                    name, reader, default = read
                    default = default or _fallback(statement, node)
                    kind = CASTS.get(_cast_of(statement, node), READERS[reader])
                    shown = f"`{ast.get_source_segment(source, default)}`" if default is not None else "(none)"
                    note = _comment(lines, anchor)
                    rows.append(f"| `{name}` | {', '.join(targets)} | {kind} | {shown} | {note} |")
        self.stdout.write(HEADER + "\n".join(rows) + "\n", ending="")


def _statements(body, anchor=None):
    """Assignments with the top-level statement whose comment explains them (an ``if`` block's comment is above it)."""
    for statement in body:
        if isinstance(statement, ast.Assign):
            yield statement, anchor or statement
        elif isinstance(statement, ast.If):
            yield from _statements(statement.body + statement.orelse, anchor or statement)


def _env_read(node):
    """(variable, reader, default node) for ``os.environ.get(...)``, ``os.environ[...]``, ``env_bool(...)`` and
    ``env_list(...)``."""
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
        return node.slice.value, "get", None
    if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
        return None
    function = node.func
    if isinstance(function, ast.Attribute) and function.attr == "get" and ast.unparse(function.value) == "os.environ":
        reader = "get"
    elif isinstance(function, ast.Name) and function.id in ("env_bool", "env_list"):
        reader = function.id
    else:
        return None
    return node.args[0].value, reader, node.args[1] if len(node.args) > 1 else None


def _fallback(statement, read):
    """The default of ``os.environ.get(NAME) or <default>``."""
    for node in ast.walk(statement):
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and node.values[0] is read:
            return node.values[1]
    return None


def _cast_of(statement, read) -> str:
    for node in ast.walk(statement):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and read in node.args:
            return node.func.id
    return ""


def _comment(lines: list[str], statement) -> str:
    """The comment block just above the statement, which says why the setting is there."""
    comment = []
    number = statement.lineno - 2
    while number >= 0 and lines[number].startswith("#"):
        comment.insert(0, lines[number].lstrip("# ").strip())
        number -= 1
    return " ".join(comment).replace("|", "\\|")
