"""Shared test settings: Hypothesis profiles (``ci`` is chosen when the CI variable is set), the submission window."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

# No deadline: the first example pays for imports and caches, which is not a bug.
settings.register_profile("dev", deadline=None)
# CI: the same examples on every run (no flaky discovery), shown in full when one fails.
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "submission_window: the test checks the submission window (提交期限)")


# The longest modules (a browser journey of 35 s, the printed and office round trips, the route matrix) start first:
# a run ends when its last worker does, so the last test to start should be a short one. Whole modules move, in
# their own order, so that module fixtures are made once.
SLOW_FIRST = ("tests/web/test_journey.py", "tests/test_printed_files.py", "tests/test_selfeval_office.py",
              "tests/storage/test_route_matrix.py", "tests/web/test_analytics_browser.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW_FIRST))  # stable: every other order is kept


_WINDOW = {"checked": False}  # set for the tests marked ``submission_window`` only


@pytest.fixture(scope="session", autouse=True)
def _submission_window_off() -> Iterator[None]:
    """The suite's tables are of 2022 and the clock is later, so every first submission would be past its
    deadline: tests (and fixtures of any scope) hand in as if within the window, except the tests marked
    ``submission_window``."""
    from jixiao.services import reopenings

    with pytest.MonkeyPatch.context() as patch:
        real = reopenings.enforced
        patch.setattr(reopenings, "enforced", lambda region: _WINDOW["checked"] and real(region))
        yield


@pytest.fixture(autouse=True)
def _submission_window(request: pytest.FixtureRequest) -> Iterator[None]:
    _WINDOW["checked"] = request.node.get_closest_marker("submission_window") is not None
    yield
    _WINDOW["checked"] = False
