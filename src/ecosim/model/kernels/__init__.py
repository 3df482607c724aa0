"""Numba kernels, one mechanism per file. Kernels take arrays and scalars, never objects.

Caching rule: a kernel that calls the counter-based generator in ``model/rng.py`` (jitted in
another module) is compiled without ``cache=True`` (numba would not notice a change to rng.py
and could reuse stale machine code); a kernel that calls no jitted code from other modules uses
``cache=True``. ``ecosim.model.warmup()`` compiles all of them once per process.
"""
