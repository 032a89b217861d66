"""WB Portal's statistics app (indicators, observations, sources).

This package's directory name is fixed by the design card, and it shadows Python's standard
library module `statistics` for every process started from the project root (sys.path[0]).
Some code we depend on imports that stdlib module: Django's own SQLite backend does
`import statistics` and reads `statistics.pstdev` etc. at import time, and tablib's reST
format uses `statistics.median`.

So this package also *is* the stdlib module's public API: it loads the real stdlib file by
path under a private name and re-exports every public name, so `import statistics` keeps
working for those libraries. Our own code never uses stdlib `statistics` (see
docs/developers/conventions.md).
"""

import importlib.util as _importlib_util
import sys as _sys
import sysconfig as _sysconfig
from pathlib import Path as _Path


def _load_stdlib_statistics():
    name = "_stdlib_statistics"
    if name in _sys.modules:
        return _sys.modules[name]
    path = _Path(_sysconfig.get_paths()["stdlib"]) / "statistics.py"
    spec = _importlib_util.spec_from_file_location(name, path)
    module = _importlib_util.module_from_spec(spec)
    _sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_stdlib = _load_stdlib_statistics()
for _name in _stdlib.__all__:
    globals()[_name] = getattr(_stdlib, _name)

__all__ = list(_stdlib.__all__)
