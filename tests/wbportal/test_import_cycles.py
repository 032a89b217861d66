"""No import cycles between the project's modules, and no import inside a function to hide one.

An import inside a function is allowed only where it is the usual Django idiom (an
AppConfig's `ready()`, which runs when every app is loaded) or where a comment right above it
says why it cannot be at the top (e.g. a library that loads a system library on import).
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings


def project_packages():
    """The top-level packages of this repository that are installed apps or shared packages."""
    base = Path(settings.BASE_DIR).resolve()
    labels = {
        Path(config.path).resolve().name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    }
    return sorted(labels | {"listing"})


def project_modules():
    """{dotted name: path} of every module of ours, migrations left out (they are history)."""
    base = Path(settings.BASE_DIR).resolve()
    modules = {}
    for package in project_packages():
        for path in (base / package).rglob("*.py"):
            parts = path.relative_to(base).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def top_level_imports(name, path, modules):
    """The modules of ours that `name` imports when it is imported (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for statement in tree.body:
        if isinstance(statement, ast.If) and "TYPE_CHECKING" in ast.unparse(statement.test):
            continue
        nodes = ast.walk(statement) if isinstance(statement, ast.If | ast.Try) else [statement]
        for node in nodes:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")
                base = base[: len(base) - node.level + 1] if node.level else []
                base = ".".join([*base, node.module] if node.module else base)
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    found.add(submodule if submodule in modules else base)
    return {module for module in found if module in modules and module != name}


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_module_of_ours_imports_itself_round_a_cycle():
    modules = project_modules()
    assert {
        "pagecache",
        "richtext.fields",
        "statistics.models",
        "links.scanning",
        "publishing.actions",
    } <= set(modules)
    graph = {name: top_level_imports(name, path, modules) for name, path in modules.items()}
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def imports_inside_functions(path):
    """Each import inside a function without a comment right above it, outside an
    AppConfig's ready()."""
    lines = path.read_text().splitlines()
    found = []
    for function in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name == "ready" and path.name == "apps.py":
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if not above.startswith("#"):
                found.append(f"{path}:{node.lineno} in {function.name}()")
    return found


def test_imports_inside_functions_say_why():
    found = []
    for path in project_modules().values():
        found += imports_inside_functions(path)
    assert found == []
