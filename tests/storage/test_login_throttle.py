"""Login throttling that holds under parallel requests and cannot be used to lock a user out (both databases).

Each attempt first claims a slot in the database (one atomic UPDATE per key); only a claimed attempt has its
password checked. The clock is frozen so that "within the window" is exact: with time standing still only the
free attempts are ever checked, however many arrive at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jixiao.domain.workflow import Role
from jixiao.services import accounts
from jixiao.services.accounts import add_user
from jixiao.services.context import AppContext
from jixiao.web.app import create_app

RIGHT = "正确的密码-123456"
ATTACKER = "203.0.113.9"
HOME = "198.51.100.7"
FREE = 5  # attempts checked per user and address before the delay starts (accounts.THROTTLE_FREE)


class Clock:
    """A clock that stands still until a test moves it."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client_at(sessions: sessionmaker[Session], clock: Clock) -> Callable[[str], TestClient]:
    add_user(sessions, "zhang", RIGHT, Role.UNIT_EDITOR)
    app = create_app(AppContext(sessions, clock=clock))

    def at(address: str) -> TestClient:
        return TestClient(app, raise_server_exceptions=False, client=(address, 40000))

    return at


def _post(client: TestClient, password: str, username: str = "zhang") -> int:
    return client.post("/api/v1/session", json={"username": username, "password": password}).status_code


def test_parallel_wrong_passwords_are_not_all_checked(client_at: Callable[[str], TestClient]) -> None:
    start = threading.Barrier(150)

    def attempt(number: int) -> int:
        client = client_at(ATTACKER)
        start.wait()
        return _post(client, f"猜测-{number}")

    with ThreadPoolExecutor(max_workers=150) as pool:
        codes = list(pool.map(attempt, range(150)))
    assert codes.count(403) == FREE  # checked and wrong
    assert codes.count(429) == 150 - FREE  # refused before any password was looked at


def test_the_right_password_does_not_get_in_through_the_race(client_at: Callable[[str], TestClient],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """39 wrong passwords are in flight (their checks held until the right one has been answered); the right
    password from the same address must then wait like any other attempt."""
    original = accounts.check_password
    held, release = threading.Condition(), threading.Event()
    state = {"in_check": 0, "done": 0}

    def slow_check(sessions: sessionmaker[Session], username: str, password: str) -> object:
        if password != RIGHT:
            with held:
                state["in_check"] += 1
                held.notify_all()
            assert release.wait(60)
        return original(sessions, username, password)

    monkeypatch.setattr(accounts, "check_password", slow_check)

    def attempt(number: int) -> int:
        try:
            return _post(client_at(ATTACKER), f"猜测-{number}")
        finally:
            with held:
                state["done"] += 1
                held.notify_all()

    with ThreadPoolExecutor(max_workers=39) as pool:
        futures = [pool.submit(attempt, n) for n in range(39)]
        with held:  # every wrong attempt is either refused or being checked
            assert held.wait_for(lambda: state["in_check"] + state["done"] >= 39, timeout=60)
        right = _post(client_at(ATTACKER), RIGHT)
        release.set()
        codes = [f.result() for f in futures]
    assert right == 429
    assert codes.count(403) == FREE and codes.count(429) == 39 - FREE


def test_the_real_user_still_signs_in_while_an_attacker_hammers(client_at: Callable[[str], TestClient],
                                                                clock: Clock) -> None:
    home = client_at(HOME)
    assert _post(home, RIGHT) == 200  # the user's usual address: known from now on
    clock.advance(60)
    attackers = [client_at(f"203.0.113.{n}") for n in range(1, 11)]
    codes = [_post(attacker, f"猜测-{n}") for attacker in attackers for n in range(10)]
    assert codes.count(403) <= 2 * FREE  # guessing from many addresses is slowed for the account as a whole
    assert _post(home, RIGHT) == 200  # … but never for the user at a known address
    assert _post(client_at(ATTACKER), RIGHT) == 429  # an attacking address still waits, right password or not


def test_one_address_trying_many_user_names_is_slowed(client_at: Callable[[str], TestClient],
                                                      clock: Clock) -> None:
    office = client_at(ATTACKER)  # one address shared by an office (and, today, by someone spraying)
    assert _post(office, RIGHT) == 200  # zhang signs in here every day
    clock.advance(60)
    codes = [_post(office, "猜测-密码", f"user{n}") for n in range(40)]
    assert codes.count(403) == 20 and 429 in codes  # accounts.THROTTLE_ADDRESS_FREE
    assert _post(office, "猜测-密码", "newcomer") == 429  # anyone new at this address waits …
    assert _post(office, RIGHT) == 200  # … but not a user known here
    assert _post(client_at(HOME), RIGHT) == 200  # and other addresses are not affected


def test_the_delay_grows_and_a_correct_login_resets_it(client_at: Callable[[str], TestClient],
                                                       clock: Clock) -> None:
    client = client_at(ATTACKER)
    assert [_post(client, "错") for _ in range(FREE + 1)] == [403] * FREE + [429]
    answer = client.post("/api/v1/session", json={"username": "zhang", "password": "错"})
    refused = answer.json()["error"]
    assert refused["code"] == "too_many_attempts" and "1 秒后再试" in refused["message"]
    assert answer.headers["Retry-After"] == "1"  # what HTTP clients read
    clock.advance(1)
    assert _post(client, "错") == 403  # one more check after the first delay …
    clock.advance(1)
    assert _post(client, RIGHT) == 429  # … then the delay doubles (2 s), for the right password as well
    clock.advance(1)
    assert _post(client, RIGHT) == 200
    assert _post(client, "错") == 403  # a correct login starts the count again


def test_the_login_page_is_slowed_the_same_way(client_at: Callable[[str], TestClient], clock: Clock) -> None:
    import re

    page_client = client_at(ATTACKER)

    def page_login(password: str) -> tuple[int, str]:
        form = page_client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        done = page_client.post("/login", data={"username": "zhang", "password": password,
                                                "csrf_token": token.group(1), "next": "/"}, follow_redirects=False)
        waits.append(done.headers.get("Retry-After"))
        return done.status_code, done.text

    waits: list[str | None] = []
    assert [page_login("错")[0] for _ in range(FREE)] == [401] * FREE
    status, html = page_login(RIGHT)
    assert status == 429 and "登录尝试过于频繁，请 1 秒后再试" in html
    assert waits == [None] * FREE + ["1"]
    assert _post(client_at(HOME), RIGHT) == 200  # the API shares the count, per address: another address is free
    clock.advance(1)
    assert page_login(RIGHT)[0] == 303


def test_counts_start_over_after_the_window_and_old_rows_are_swept(
        client_at: Callable[[str], TestClient], clock: Clock, sessions: sessionmaker[Session]) -> None:
    from sqlalchemy import func, select

    from jixiao.storage.models import LoginThrottle

    attacker = client_at(ATTACKER)
    assert [_post(attacker, "错") for _ in range(FREE + 1)] == [403] * FREE + [429]
    clock.advance(3600)  # the window (an hour) has passed: the attacker's own count starts over …
    assert [_post(attacker, "错") for _ in range(FREE + 1)] == [403] * FREE + [429]
    with sessions() as session:
        rows = session.scalar(select(func.count()).select_from(LoginThrottle))
    assert rows == 3  # user and address, address, user
    clock.advance(3 * 3600)
    assert _post(client_at(HOME), RIGHT) == 200  # a later login sweeps rows long past their window
    with sessions() as session:
        left = session.scalar(select(func.count()).select_from(LoginThrottle))
    assert left == 2  # only the rows the new login itself touched (its address, the user)
