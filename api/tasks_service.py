"""Tasks and agencies: who leads, coordinates and reports, by when; the agency list and its tasks.

Why a module of its own: the task records extracted at ingest are filtered here by agency (id,
name or abbreviation), document and role, and given the citations hits have (api/tasks_view.py
holds the matching rules). One job of the service (:class:`api.service.Tracuu` composes them).
"""

from __future__ import annotations

from typing import Any

from tracuu.api.citations import clause_citation
from tracuu.api.errors import ApiError, not_found
from tracuu.api.tasks_view import AgencyQuery, agency_table, resolve_role, role_names, roles_of, task_out
from tracuu.ingest.shapes import Agency, AgencyTasks, Document, Task


class TasksAndAgencies:
    """Tasks, agencies and an agency's tasks. A part of :class:`api.service.Tracuu`: it uses the root's
    ``store()``, ``index``, ``manifest``, ``settings``, ``thresholds`` and ``_per_generation``."""

    def all_tasks(self) -> list[dict[str, Any]]:
        """Every task (one read of the tasks table; no document is loaded)."""
        return self.store().tasks()

    def _tasks_by_clause(self) -> "TasksByClause":
        """clause_id -> its tasks, looked up in the catalog as asked (ask needs a few clauses')."""
        return TasksByClause(self.store())

    def _task_out(self, task: dict[str, Any], infos: dict[str, Document]) -> Task:
        info = infos.setdefault(task["doc_id"], self.doc_info(task["doc_id"]))
        clause = self.store().clause(task["clause_id"])
        label = clause.label if clause else task["path"]
        return task_out(task, clause_citation(label, info))

    def tasks(self, agency: str | None = None, doc: str | None = None, role: str | None = None) -> list[Task]:
        """Tasks, optionally of one agency (id, name or abbreviation), one document, one role."""
        if role:
            code = resolve_role(role)
            if code is None:
                raise ApiError(
                    f"Vai trò không hợp lệ '{role}'. Chọn: {', '.join(role_names())}.",
                    f"Unknown role '{role}'. Choose one of: {', '.join(role_names())}.",
                    status=422,
                    code="bad_role",
                )
            role = code
        infos: dict[str, Document] = {}
        query = AgencyQuery.of(agency) if agency else None
        out = []
        if query is not None:
            candidates = self.store().tasks_naming(query.keys, query.folded, query.phrases)
        else:
            candidates = self.store().tasks(doc) if doc else self.all_tasks()
        for task in candidates:
            if doc and task["doc_id"] != doc:
                continue
            if agency or role:
                roles = query.roles_in(task, {role} if role else None) if query else {
                    r for r, _ in roles_of(task) if r == role
                }
                if not roles:
                    continue
                item = self._task_out(task, infos)
                item.roles = sorted(roles)
            else:
                item = self._task_out(task, infos)
            out.append(item)
        return out

    def agencies(self) -> list[Agency]:
        """Every agency the tasks name, with counts (built once per catalog generation)."""
        return self._per_generation(
            "agencies", lambda: [Agency.model_validate(a) for a in agency_table(self.all_tasks())])

    def agency_tasks(self, agency_id: str) -> AgencyTasks:
        table = {a.agency_id: a for a in self.agencies()}
        if agency_id not in table:
            raise not_found("cơ quan", "agency", agency_id)
        return AgencyTasks(agency=table[agency_id], tasks=self.tasks(agency=agency_id))


class TasksByClause:
    """clause_id -> its tasks, read from the catalog on first use and kept for one request."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._seen: dict[str, list[dict[str, Any]]] = {}

    def prefetch(self, clause_ids: list[str]) -> None:
        todo = [c for c in clause_ids if c not in self._seen]
        if todo:
            found = self.store.tasks_of_clauses(todo)
            for c in todo:
                self._seen[c] = found.get(c, [])

    def get(self, clause_id: str, default: Any = None) -> Any:
        self.prefetch([clause_id])
        return self._seen[clause_id] or default
