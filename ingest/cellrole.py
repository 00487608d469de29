"""Which cell of a task-table row is the lead, the partners, the deadline: learned from labelled rows.

Why: each table reader decides a cell's role from its own layout's rules (the header's cue words,
the column order), tuned on the layouts seen; on a layout it has not seen (a header lost over a
page break, a row with more or fewer cells than the header, a column name no cue word covers) the
rules give a partner cell or a time the wrong role. What a cell *is* shows in its own text: a lead
cell is one agency name or a short list of them, a partner cell a longer list ending on "các cơ
quan liên quan", a deadline cell a "Quý IV/2026" / "Năm 2026" / "Thường xuyên", a task cell opens
with a verb and runs long, and where the cell stands in the row (the first agency cell after the
task is the lead, the next one the partners). A multinomial logistic regression over such features,
fitted on every labelled table row of the tune material (``bench/cellrole_fit.py``; weights in
``ingest/data/cellrole_model.json``), scores each cell; the roles of one row are then chosen
jointly: at most one task, lead, partner and deadline cell, the best-scoring assignment.

How it is used (``row_roles``): the header's cue words stay decisive for the roles they name; the
model fills the roles the header does not name (a lost header, "Cột 5"), and overrides a named role
only when that cell is very unlike its column's role and very like another one (a time in the
partners' column: the row's cells were shifted). Run time is pure Python (no numpy needed).
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from itertools import product as cartesian
from pathlib import Path
from typing import Mapping, Sequence

from tracuu.ingest.vntext import fold, nfc
from tracuu.ingest.vntext import opens_with as _opens  # folded

__all__ = ["ROLES", "row_features", "cell_probs", "assign", "model_roles", "row_roles", "load_model"]

MODEL_FILE = Path(__file__).resolve().parent / "data" / "cellrole_model.json"
FLATCELLS_FILE = Path(__file__).resolve().parent / "data" / "flatcells.toml"
ROLES = ("content", "lead", "coord", "deadline", "other")
# role of this module -> role name of ingest.tasks.column_roles
TASK_ROLE = {"content": "task", "lead": "lead", "coord": "coordinators", "deadline": "deadline"}

_NUMBER = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,2}){0,2}|[IVXL]{1,6})\s*[.)]?\s*$")
_LOST = re.compile(r"[Cc]ột \d+")  # the name a reader gives a cell no header name covers
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}/(?:19|20)\d\d\b")


@dataclass(frozen=True)
class _Words:
    time: tuple[str, ...]
    product: tuple[str, ...]
    level: tuple[str, ...]
    partner: tuple[str, ...]
    lead_mark: tuple[str, ...]
    verbs: tuple[str, ...]
    level_columns: tuple[str, ...]  # header names of a level column, unsorted as the data file lists them


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = tomllib.loads(FLATCELLS_FILE.read_text(encoding="utf-8"))

    def words(key: str) -> tuple[str, ...]:
        return tuple(sorted({fold(nfc(w)).lower() for w in data.get(key, [])}, key=lambda w: (-len(w), w)))

    from tracuu.ingest.columncues import verb_phrases

    return _Words(words("time_openers"), words("product_openers"), words("level_openers"),
                  words("partner_words"), words("lead_marks"),
                  tuple(sorted({fold(v) for v in verb_phrases()}, key=lambda w: (-len(w), w))),
                  tuple(fold(nfc(w)).lower() for w in data.get("level_columns", [])))


def _header_role(name: str) -> str | None:
    """The role the header's cue words give a column name, as ``ingest.tasks.column_roles`` reads
    them one name at a time (None: the name says nothing)."""
    from tracuu.ingest.columncues import cue_words

    f = fold(nfc(name)).lower()
    if re.fullmatch(r"cot \d+", f) or not f.strip():
        return None
    if any(w in f for w in _words().level_columns):
        return "other"
    for role in ("skip", "deadline", "coordinators", "lead", "product", "note", "status", "task"):
        if any(w in f for w in cue_words(role)):
            return {"skip": "other", "product": "other", "note": "other", "status": "other", "task": "content",
                    "coordinators": "coord"}.get(role, role)
    return None


def _text_stats(text: str) -> dict[str, float]:
    """What one cell's text is, on its own."""
    from tracuu.ingest.agencies import load_gazetteer
    from tracuu.ingest.deadlines import find_deadlines

    w = _words()
    t = " ".join(nfc(text).split())
    f = fold(t).lower()
    words = t.split()
    n = max(1, len(t))
    g = load_gazetteer()
    mentions = g.find(t)
    covered = sum(m.end - m.start for m in mentions)
    dls = find_deadlines(t, bare=True)
    dl_cover = sum(d.end - d.start for d in dls)
    return {
        "empty": float(not t),
        "number": float(bool(_NUMBER.match(t))) if t else 0.0,
        "agency_cover": min(1.0, covered / n),
        "agency_n0": float(not mentions),
        "agency_n1": float(len(mentions) == 1),
        "agency_n2plus": float(len(mentions) >= 2),
        "agency_log": math.log1p(len(mentions)),
        "opens_agency": float(bool(mentions) and mentions[0].start <= 4),
        "partner_word": float(any(p in f for p in w.partner)),
        "lead_mark": float(any(p in f for p in w.lead_mark)),
        "deadline": float(bool(dls)),
        "deadline_cover": min(1.0, dl_cover / n),
        "opens_time": float(_opens(f, w.time)),
        "opens_product": float(_opens(f, w.product)),
        "opens_level": float(_opens(f, w.level)),
        "opens_verb": float(_opens(f, w.verbs)),
        "year": float(bool(_YEAR.search(t))),
        "date": float(bool(_DATE.search(t))),
        "words_log": math.log1p(len(words)),
        "long": float(len(words) > 25),
        "short": float(0 < len(words) <= 4),
        "lower_start": float(bool(t) and t[0].islower()),
        "ends_stop": float(t.endswith((".", ";"))),
        "percent": float("%" in t),
    }


def row_features(names: Sequence[str], texts: Sequence[str], header: bool = True) -> list[dict[str, float]]:
    """The features of each cell of one row (``names`` the column names, ``texts`` the cells, in
    column order). ``header``: whether the header's cue words are features too."""
    stats = [_text_stats(t) for t in texts]
    n = len(texts)
    filled = [k for k, s in enumerate(stats) if not s["empty"] and not s["number"]]
    agency_cells = [k for k in filled if stats[k]["agency_cover"] >= 0.5 and stats[k]["opens_agency"]]
    time_cells = [k for k in filled if stats[k]["deadline_cover"] >= 0.5 or stats[k]["opens_time"]]
    longest = max(filled, key=lambda k: len(texts[k]), default=-1)
    out: list[dict[str, float]] = []
    for k, s in enumerate(stats):
        x = dict(s)
        rank = filled.index(k) if k in filled else -1
        x.update({
            "pos_rel": k / (n - 1) if n > 1 else 0.0,
            "pos_first_filled": float(rank == 0),
            "pos_second_filled": float(rank == 1),
            "pos_last": float(k == n - 1),
            "agency_cell_1st": float(bool(agency_cells) and agency_cells[0] == k),
            "agency_cell_2nd": float(len(agency_cells) > 1 and agency_cells[1] == k),
            "agency_cell_later": float(k in agency_cells[2:]),
            "after_agency_cell": float(bool(agency_cells) and k > agency_cells[0]),
            "before_agency_cell": float(bool(agency_cells) and k < agency_cells[0]),
            "time_cell_1st": float(bool(time_cells) and time_cells[0] == k),
            "longest": float(k == longest),
        })
        if header:
            role = _header_role(names[k]) if k < len(names) else None
            for r in ROLES:
                x[f"head_{r}"] = float(role == r)
            x["head_none"] = float(role is None)
        out.append(x)
    return out


@lru_cache(maxsize=1)
def load_model() -> dict:
    """The fitted weights: {"version", "features", "roles", "mean", "scale", "coef", "intercept", …}."""
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def cell_probs(feats: Sequence[Mapping[str, float]], model: Mapping | None = None) -> list[dict[str, float]]:
    """P(role | cell) for each cell's features, by the model's softmax."""
    m = model or load_model()
    names, roles = m["features"], m["roles"]
    out: list[dict[str, float]] = []
    for x in feats:
        v = [(x.get(f, 0.0) - mu) / sd for f, mu, sd in zip(names, m["mean"], m["scale"])]
        z = [b + sum(w * xi for w, xi in zip(row, v)) for row, b in zip(m["coef"], m["intercept"])]
        top = max(z)
        e = [math.exp(zi - top) for zi in z]
        s = sum(e)
        out.append({r: ei / s for r, ei in zip(roles, e)})
    return out


def assign(probs: Sequence[Mapping[str, float]], skip: Sequence[bool] = ()) -> list[str]:
    """The roles of one row's cells chosen jointly: at most one content, lead, partner and deadline
    cell, every other cell "other"; the assignment with the highest summed log-probability.
    ``skip``: cells that take no role (empty, the STT number)."""
    n = len(probs)
    free = [k for k in range(n) if not (skip[k] if k < len(skip) else False)]

    def lp(k: int, r: str) -> float:
        return math.log(max(probs[k].get(r, 0.0), 1e-9))

    base = sum(lp(k, "other") for k in free)
    pairs = (("content", 0), ("lead", 1), ("coord", 2), ("deadline", 3))
    gain = {k: [lp(k, r) - lp(k, "other") for r, _ in pairs] for k in free}
    # A role's cell in a best assignment is among the 4 cells with the highest gain for that role
    # (ties at the 4th kept): any other cell could be swapped for a strictly better free one, since
    # the other three roles hold at most three cells. So each role tries None and those cells, in
    # cell order: (1+4)^4 assignments a row instead of (1+n)^4 (0.5 s a 20-cell row), same result.
    options = []
    for _, j in pairs:
        ranked = sorted((gain[k][j] for k in free), reverse=True)
        floor = ranked[min(3, len(ranked) - 1)] if ranked else 0.0
        options.append([None, *(k for k in free if gain[k][j] >= floor)])
    best, best_roles = -math.inf, ["other"] * n
    for pick in cartesian(*options):
        picked = [k for k in pick if k is not None]
        if len(set(picked)) != len(picked):
            continue
        score = base
        for k, (_, j) in zip(pick, pairs):
            if k is not None:
                score += gain[k][j]
        if score > best:
            best = score
            best_roles = ["other"] * n
            for k, (r, _) in zip(pick, pairs):
                if k is not None:
                    best_roles[k] = r
    return best_roles


def model_roles(names: Sequence[str], texts: Sequence[str]) -> list[str]:
    """The model's joint roles of one row's cells (no rule involved)."""
    m = load_model()
    feats = row_features(names, texts, header=m.get("header", True))
    skip = [not t.strip() or bool(_NUMBER.match(t)) for t in texts]
    return assign(cell_probs(feats, m), skip)


def _lead_among(names: Sequence[str], cued: Sequence[str | None], probs: Sequence[Mapping[str, float]],
                skip: Sequence[bool], rules: Mapping[str, str]) -> dict[str, str]:
    """Of the columns the header's cues all name the lead, the one whose cell reads most like a lead
    cell (probability at least one half) is the lead; else the rules' choice stays."""
    out = dict(rules)
    cands = [k for k, c in enumerate(cued) if c == "lead" and not skip[k]]
    best = max(cands, key=lambda k: probs[k]["lead"], default=None)
    if best is None or probs[best]["lead"] < 0.5 or out.get("lead") == names[best]:
        return out
    for role, name in list(out.items()):
        if name == names[best]:
            del out[role]
    out["lead"] = names[best]
    return out


def row_roles(cells: Mapping[str, str], rules: Mapping[str, str]) -> dict[str, str]:
    """The roles of one row as ``ingest.tasks.column_roles`` gives them (role -> column name), with
    the model's reading where the rules leave a role open or contradict the cells' text.

    ``rules``: what the header's cue words gave. A role the rules name stays unless the model puts
    that cell in another role with high confidence (``override`` of the model file); a role the
    rules leave open (task, lead, partners, deadline) goes to the cell the model's joint assignment
    gives it, when that cell has no role yet. Product and note columns the rules name are kept."""
    names = list(cells)
    texts = [cells[k] or "" for k in names]
    if len(names) < 2:
        return dict(rules)
    m = load_model()
    feats = row_features(names, texts, header=m.get("header", True))
    probs = cell_probs(feats, m)
    skip = [not t.strip() or bool(_NUMBER.match(t)) for t in texts]
    joint = assign(probs, skip)
    out = dict(rules)
    override = float(m.get("override", 1.01))
    by_name = {v: k for k, v in rules.items()}
    # a cell the header does not cover ("Cột 6": more cells than header names, or no header at all):
    # the row's cells do not line up with the header's names, so the model reads every role
    lost = any(_LOST.fullmatch(name.strip()) for name in names)
    # two columns the header's cue words both name as the lead ("Người đứng đầu chịu trách nhiệm |
    # Cơ quan chủ trì", "Đơn vị | Nhiệm vụ chủ trì"): the rules take the first; the cells' text decides
    cued = [_header_role(name) for name in names]
    if cued.count("lead") >= 2 and not lost:
        rules = _lead_among(names, cued, probs, skip, rules)
        by_name = {v: k for k, v in rules.items()}
        out = dict(rules)
    # a named role whose cell the model reads, with confidence, as another role: the row's cells
    # were shifted; the model's roles decide that row's task roles
    named = {"lead", "coordinators", "deadline"}

    def disagree(k: int, name: str) -> bool:
        mine, theirs = TASK_ROLE.get(joint[k], "other"), by_name.get(name, "other")
        return mine != theirs and bool({mine, theirs} & named) and probs[k][joint[k]] >= override

    # a column the header names as holding no owner (a product, a note, a status, the level a text
    # is submitted to: "Cấp trình") shows a shift only by a time in it: the bodies it names (Chính
    # phủ, UBND tỉnh; "đã xin ý kiến các bộ") read as owners and are none; a task or content column
    # only by a time or by a cell that is mostly names ("- Bộ X chủ trì nghiên cứu, ban hành …" in a
    # second content column is a sentence, not an owner cell)

    def shows_shift(k: int) -> bool:
        if cued[k] == "other":
            return joint[k] == "deadline"
        if cued[k] == "content":
            return joint[k] == "deadline" or feats[k]["agency_cover"] >= 0.5
        return True

    shifted = lost or any(not skip[k] and disagree(k, name) and shows_shift(k) for k, name in enumerate(names))
    if shifted:
        mine = {name: TASK_ROLE[joint[k]] for k, name in enumerate(names) if joint[k] in TASK_ROLE}
        out = {r: n for r, n in out.items() if r not in TASK_ROLE.values() and n not in mine}
        out.update({r: n for n, r in mine.items()})
        # a role the model gives no cell stays where the rules put it, if the model gave that cell
        # no other role ("Doanh nghiệp" under "Cơ quan phối hợp": a name the gazetteer lacks)
        for r, n in rules.items():
            if r in TASK_ROLE.values() and r not in out and n not in out.values():
                out[r] = n
        return out
    taken = set(out.values())
    for k, name in enumerate(names):
        role = TASK_ROLE.get(joint[k])
        # only a column whose name says nothing takes an open role ("Tình hình thực hiện" names a
        # status: its "đã gửi xin ý kiến các bộ" are no partners), and only when the cell reads so
        if role and role not in out and name not in taken and cued[k] is None and probs[k][joint[k]] >= 0.5:
            out[role] = name
            taken.add(name)
    return out
