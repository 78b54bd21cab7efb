"""Typed service errors: each class carries a stable ``code`` and an HTTP ``status``.

The web layer renders any :class:`ServiceError` from these two class attributes alone (one handler,
no status chosen from the words of a message); ``docs/api-errors.md`` is generated from the classes,
so a code cannot be added without being documented. Messages are Chinese and name nothing the
caller may not see.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.exc import DBAPIError

from jixiao.domain.workflow import OwnSubmission, WorkflowError


class ServiceError(Exception):
    """A refused request: ``message`` (中文) for people, ``code`` for programs, ``details`` for fields."""

    code: ClassVar[str] = "service_error"
    status: ClassVar[int] = 400
    summary: ClassVar[str] = "请求被拒绝"

    def __init__(self, message: str | None = None, details: list[Any] | None = None) -> None:
        self.message = message or self.summary
        self.details: list[Any] = list(details or [])
        super().__init__(self.message)


class NotFound(ServiceError):
    code = "not_found"
    status = 404
    summary = "要找的对象不存在，或已不公开"


class Forbidden(ServiceError):
    code = "forbidden"
    status = 403
    summary = "没有权限进行这项操作"


class Conflict(ServiceError):
    code = "conflict"
    status = 409
    summary = "与对象当前的状态冲突"


class InvalidInput(ServiceError):
    code = "invalid_input"
    status = 422
    summary = "提交的内容不符合要求"


class Throttled(ServiceError):
    code = "throttled"
    status = 429
    summary = "请求过于频繁，请稍后再试"


class DatabaseBusy(ServiceError):
    """The database stayed locked by other writers longer than a request waits (SQLite's busy timeout, a
    PostgreSQL lock or serialization conflict): nothing was written, the same request can simply be sent again."""

    code = "database_busy"
    status = 503
    summary = "数据库正忙（其他写入尚未完成），本次请求未做任何修改，请稍后重试"


BUSY_RETRY_SECONDS = 2  # Retry-After of a DatabaseBusy answer
DATABASE_ERRORS: tuple[type[Exception], ...] = (DBAPIError,)  # what the web hands to as_service_error
_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED (sqlite3's sqlite_errorcode, primary code)
_POSTGRES_BUSY = {"55P03", "40001", "40P01"}  # lock_not_available, serialization_failure, deadlock_detected


def _is_busy(error: DBAPIError) -> bool:
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _SQLITE_BUSY:
        return True
    return getattr(original, "sqlstate", None) in _POSTGRES_BUSY


class WorkflowRefused(Conflict, WorkflowError):
    """A refused workflow move or edit. The pure domain raises :class:`WorkflowError`; the web handler maps
    that class (never its message) to this one, and it is still caught as a ``WorkflowError``."""

    code = "workflow_refused"
    summary = "当前状态下不能进行这项操作（如流转条件不满足、版本已过期）"


class OwnSubmissionRefused(Forbidden, OwnSubmission):
    """A review step (审核、报送、批复、退回) on what the caller submitted: another reviewer must take it."""

    code = "own_submission"
    summary = "不能审核、批复或退回自己提交的绩效目标表或自评：须由另一位审核人处理"


def as_service_error(error: Exception) -> ServiceError | None:
    """A foreign exception as the service error it stands for, chosen by class (never by message)."""
    if isinstance(error, ServiceError):
        return error
    if isinstance(error, OwnSubmission):
        return OwnSubmissionRefused(str(error))
    if isinstance(error, WorkflowError):
        return WorkflowRefused(str(error))
    if isinstance(error, DBAPIError) and _is_busy(error):  # by the driver's error code, not its words
        return DatabaseBusy(details=[{"retry_after": BUSY_RETRY_SECONDS}])
    return None


def subclasses_in(package: str) -> list[type[ServiceError]]:
    """Every error class defined in ``package`` (all its modules are imported first), in a stable order."""
    import importlib
    import pkgutil

    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, package + "."):
        importlib.import_module(module.name)
    found: set[type[ServiceError]] = set()
    pending: list[type[ServiceError]] = [ServiceError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls is not ServiceError and cls.__module__.startswith(package + "."):
            found.add(cls)
    return sorted(found, key=lambda c: (c.status, c.code, c.__module__, c.__qualname__))


def error_classes() -> list[type[ServiceError]]:
    """Every error class of the services (for the generated docs and their test)."""
    return subclasses_in("jixiao.services")
