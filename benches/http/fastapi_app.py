"""The http bench's FastAPI baseline: an idiomatic FastAPI app on uvicorn, the same task rows
as the release binary lists, the same fields, validated and serialised by pydantic response
models. Plain `def` routes run on FastAPI's thread pool, each thread with its own connection:
sqlite3 for `sqlite://` URLs, psycopg for `postgres://` ones (`BASELINE_DB`).

Started by `cargo bench --bench http` as `uvicorn fastapi_app:app --workers 2`.
"""

import json
import os
import threading
from datetime import datetime
from typing import Any, Optional

from fastapi import FastAPI, Query
from pydantic import BaseModel

DATABASE = os.environ["BASELINE_DB"]
FIELDS = (
    "id", "agent", "kind", "status", "priority", "attempts", "max_attempts", "timeout_s",
    "input", "result", "error", "lease_owner", "idempotency_key", "workflow_id", "created_at",
    "started_at", "finished_at",
)
COLUMNS = ", ".join(FIELDS).replace("timeout_s", "timeout_ms / 1000 AS timeout_s")


class Task(BaseModel):
    id: str
    agent: str
    kind: str
    status: str
    priority: int
    attempts: int
    max_attempts: int
    timeout_s: int
    input: Any
    result: Optional[Any] = None
    error: Optional[str] = None
    lease_owner: Optional[str] = None
    idempotency_key: Optional[str] = None
    workflow_id: Optional[str] = None
    created_at: datetime
    started_at: Optional[datetime] = None
    finished_at: Optional[datetime] = None


class Page(BaseModel):
    items: list[Task]
    next_cursor: Optional[str] = None


local = threading.local()


def connection():
    if not hasattr(local, "connection"):
        if DATABASE.startswith("sqlite://"):
            import sqlite3

            local.connection = sqlite3.connect(DATABASE.removeprefix("sqlite://"))
            local.query = f"SELECT {COLUMNS} FROM tasks ORDER BY id DESC LIMIT ?"
        else:
            import psycopg

            local.connection = psycopg.connect(DATABASE, autocommit=True)
            local.query = f"SELECT {COLUMNS} FROM tasks ORDER BY id DESC LIMIT %s"
    return local.connection, local.query


def task(row) -> Task:
    fields = dict(zip(FIELDS, row))
    fields["input"] = json.loads(fields["input"])
    if fields["result"] is not None:
        fields["result"] = json.loads(fields["result"])
    return Task(**fields)


app = FastAPI()


@app.get("/tasks", response_model=Page)
def tasks(limit: int = Query(50, ge=1, le=200)) -> Page:
    conn, query = connection()
    rows = conn.execute(query, (limit,)).fetchall()
    return Page(items=[task(row) for row in rows])


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
