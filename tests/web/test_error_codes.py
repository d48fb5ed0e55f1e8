"""Error codes are one list (``microreach.web.errors.ErrorCode``): every code raised is in it, and a
member reads exactly as the string API clients receive."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from microreach.web.errors import ApplicationError, ErrorCode, NotFound, problem_for

SRC = Path(__file__).resolve().parents[2] / "src" / "microreach"


def _error_classes(trees: dict[Path, ast.Module]) -> tuple[set[str], set[str]]:
    """(every ApplicationError class, those whose first argument is the code: no ``__init__`` of their own)."""
    names, code_first = {"ApplicationError"}, {"ApplicationError"}
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                    if bases & names:
                        names.add(node.name)
                        own_init = any(
                            isinstance(n, ast.FunctionDef) and n.name == "__init__" for n in node.body
                        )
                        if not own_init and bases & code_first:
                            code_first.add(node.name)
                        grew = True
    return names, code_first


def _raised_code_literals() -> dict[str, list[str]]:
    """Every string literal given as the code of an ApplicationError (or subclass), or of an error answer
    (``error_response``/``problem_response``: request, status, code, ...) in src/microreach/web."""
    trees = {
        p: ast.parse(p.read_text(encoding="utf-8"))
        for p in (SRC / "web").rglob("*.py")
        if "migrations" not in p.parts
    }
    classes, code_first = _error_classes(trees)
    found: dict[str, list[str]] = {}
    for path, tree in trees.items():
        subclass_bodies = {
            id(n)
            for c in ast.walk(tree)
            if isinstance(c, ast.ClassDef) and c.name in classes
            for n in ast.walk(c)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            is_super_init = name == "__init__" and id(node) in subclass_bodies
            responses = {"error_response", "problem_response"}
            if name not in code_first | responses and name != "ConnectionFailed" and not is_super_init:
                continue
            position = 2 if name in responses else 1 if name == "ConnectionFailed" else 0
            if len(node.args) > position:
                arg = node.args[position]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_code_raised_in_the_application_is_an_error_code() -> None:
    known = {code.value for code in ErrorCode}
    unknown = {code: places for code, places in _raised_code_literals().items() if code not in known}
    assert unknown == {}


def test_a_member_is_its_string() -> None:
    assert ErrorCode.ILLEGAL_TRANSITION == "illegal_transition"
    assert str(ErrorCode.ILLEGAL_TRANSITION) == "illegal_transition"
    assert f"{ErrorCode.CAMPAIGN_FULL}" == "campaign_full"
    assert json.dumps({"code": ErrorCode.NOT_FOUND}) == '{"code": "not_found"}'


def test_codes_are_unique_snake_case() -> None:
    values = [code.value for code in ErrorCode]
    assert len(values) == len(set(values))
    assert all(
        v == v.lower() and " " not in v and v == code.name.lower() for v, code in zip(values, ErrorCode)
    )


def test_application_error_takes_a_member_or_its_string() -> None:
    by_member = NotFound(ErrorCode.ACCOUNT_NOT_FOUND, "No such account.")
    by_text = ApplicationError("account_not_found", "No such account.", {"handle": "x"})
    assert by_member.code is ErrorCode.ACCOUNT_NOT_FOUND
    assert by_text.code is ErrorCode.ACCOUNT_NOT_FOUND
    assert problem_for(by_member) == (404, "account_not_found", "No such account.")
    assert (by_text.status, by_text.details) == (400, {"handle": "x"})


def test_an_unlisted_code_is_a_bug() -> None:
    with pytest.raises(ValueError, match="'no_such_code' is not a valid ErrorCode"):
        ApplicationError("no_such_code", "?")


# Messages a person never reads in a page or an API answer of theirs: an operator's failed audit run (the
# job's error, for the CLI and the admin).
OPERATOR_MESSAGES = {"web/audits/distributed.py"}


def _english_only(node: ast.expr | None) -> bool:
    """A message written as a plain string (or f-string, or a string's ``%`` / ``.format``), not gettext."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _english_only(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _english_only(node.func.value)
    return False


def test_every_message_raised_to_people_is_said_in_their_language() -> None:
    # a refusal's message is for people (``ApplicationError``): written in English only, a French reader
    # reads English; it goes through gettext (``_``), as ``accounts/errors.py`` does
    trees = {
        p: ast.parse(p.read_text(encoding="utf-8"))
        for p in (SRC / "web").rglob("*.py")
        if "migrations" not in p.parts and str(p.relative_to(SRC)) not in OPERATOR_MESSAGES
    }
    classes, code_first = _error_classes(trees)
    found = []
    for path, tree in trees.items():
        in_classes = {
            id(n)
            for c in ast.walk(tree)
            if isinstance(c, ast.ClassDef) and c.name in classes
            for n in ast.walk(c)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "__init__" and id(node) in in_classes:
                # a default message (``message: str = "..."``) is English too
                found += [
                    f"{path.relative_to(SRC)}:{node.lineno}" for d in node.args.defaults if _english_only(d)
                ]
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in code_first and not (name == "__init__" and id(node) in in_classes):
                continue
            message = node.args[1] if len(node.args) > 1 else None
            message = next((k.value for k in node.keywords if k.arg == "message"), message)
            if _english_only(message):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []
