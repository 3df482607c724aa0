"""Numba kernels, one mechanism per file. Kernels take arrays and scalars, never objects.

Caching rule: every jitted function uses ``cache=True`` (parallel ones and those calling the
counter-based generator in ``model/rng.py`` too). The cache directory's name is a hash of the
source of every jitted module and the modules they import, plus the numba, numpy and Python
versions and the CPU name (``ecosim.model.kernel_cache``), so a change to any kernel, to
``rng.py`` or to a constant they read gives a new directory and never stale machine code.
``ecosim.model.warmup()`` loads (or, on a cache miss, compiles) all of them once per process.
"""
