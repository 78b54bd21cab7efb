"""Read and write models of the indicator library's API (``/api/v1/library``): the shape of every body."""

# No `from __future__ import annotations`: pydantic and FastAPI read these annotations at runtime.

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.web.api.models import LOCAL_TIME, Model


class LibraryEntryOut(Model):
    id: int
    name: str = Field(description="指标名称")
    level1: str | None = Field(description="一级指标")
    level2: str | None = Field(description="二级指标")
    unit: str = Field(description="计量单位（空：无单位）")
    direction: str | None = Field(description="指标方向：正向指标 或 反向指标")
    operator: str | None = Field(description="常用的指标性质（≥、≤、=、定性…）")
    status: str = Field(description="proposed（待审核）| approved（已审核）| retired（已停用）| merged（已合并）")
    core: bool = Field(description="核心指标")
    origin: str = Field(description="starter（系统起步库）| tables（已批复目标表）| import（导入）"
                                    "| proposal（部门提出）")
    version: int = Field(description="版本号：每次修改加一")
    merged_into_id: int | None = Field(description="已合并时：合并到的指标编号")


class LibraryListOut(Model):
    total: int
    items: list[LibraryEntryOut]


class QuartilesOut(Model):
    count: int = Field(description="目标值个数")
    low: str
    q1: str = Field(description="下四分位数")
    median: str = Field(description="中位数")
    q3: str = Field(description="上四分位数")
    high: str


class ComparableOut(Model):
    unit: str
    q1: str
    median: str
    q3: str
    projects: int = Field(description="可比项目数")
    sentence: str = Field(description="如：可比项目设定 90–98%（中位数 95%，41 个项目）")


class LibraryStatsOut(Model):
    unit: str = Field(description="统计所用的计量单位（指标自身的单位）")
    units: dict[str, int] = Field(description="出现过的计量单位及次数")
    operators: dict[str, int]
    targets: QuartilesOut | None = Field(description="目标值的分布（本单位）")
    by_category: dict[str, QuartilesOut] = Field(description="按项目类别（功能分类的类）")
    by_function: dict[str, QuartilesOut] = Field(description="按职能")
    by_year: dict[str, QuartilesOut] = Field(description="按年度")
    weights: QuartilesOut | None = Field(description="权重的分布")
    evaluated: int = Field(description="有自评的次数")
    met: int = Field(description="自评满分（达成）的次数")
    met_share: str | None = Field(description="达成率（0–1）")
    projects: list[str] = Field(description="来自的项目中调用者可以查看的项目代码")
    project_count: int = Field(description="来自的项目数（含调用者不能查看的，它们只计入统计）")


class LibraryAliasOut(Model):
    name: str
    how: str = Field(description="same（名称相同）| synonym（规范化后相同）| fuzzy（近似）| manual（人工归并）")
    score: str | None = Field(description="近似时的相似度（0–100）")
    seen: int = Field(description="已批复目标表中这样写的次数")


class LibraryVersionOut(Model):
    number: int
    action: str
    snapshot: dict[str, object]
    at: str = Field(description=LOCAL_TIME)
    by: int | None


class LibraryDetailOut(Model):
    entry: LibraryEntryOut
    stats: LibraryStatsOut
    comparable: ComparableOut | None
    aliases: list[LibraryAliasOut]
    versions: list[LibraryVersionOut]


class LibrarySuggestionOut(Model):
    entry: LibraryEntryOut
    score: float = Field(description="与输入的相近程度（0–100）")
    comparable: ComparableOut | None


class LibraryBuildOut(Model):
    tables: int
    observations: int
    new_entries: int
    starter_added: int


class LibraryImportOut(Model):
    added: int
    updated: int
    unchanged: int


class LibraryEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=300, description="指标名称")
    level1: str | None = Field(None, max_length=100)
    level2: str | None = Field(None, max_length=100)
    unit: str | None = Field(None, max_length=32)
    direction: str | None = Field(None, max_length=16, description="正向指标 或 反向指标")
    operator: str | None = Field(None, max_length=16)
    note: str | None = Field(None, max_length=2000)


class LibraryFieldsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, max_length=300)
    level1: str | None = Field(None, max_length=100)
    level2: str | None = Field(None, max_length=100)
    unit: str | None = Field(None, max_length=32)
    direction: str | None = Field(None, max_length=16)
    operator: str | None = Field(None, max_length=16)
    note: str | None = Field(None, max_length=2000)


class LibraryActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["approve", "rename", "update", "merge", "retire", "core", "uncore"]
    fields: LibraryFieldsIn | None = None
    into: int | None = Field(None, ge=1, le=2**31 - 1, description="合并到的指标编号（action 为 merge 时）")
    note: str | None = Field(None, max_length=2000, description="理由")


class LibraryImportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file_name: str = Field(max_length=500)
    content_base64: str = Field(description="xlsx 文件的字节，base64 编码")
