"""Reports read from results: the one-screen policy-versus-baseline summary (``summary.py``)."""
