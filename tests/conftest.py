"""Shared test settings: Hypothesis profiles (``ci`` is chosen when the CI variable is set)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# No deadline: the first example pays for imports and caches, which is not a bug.
settings.register_profile("dev", deadline=None)
# CI: the same examples on every run (no flaky discovery), shown in full when one fails.
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
