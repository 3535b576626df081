"""Asks the installed Alembic how it reads revision histories, for test/differential/alembic.test.ts.

Reads a JSON list of cases on stdin; each case is a history (revision id, down revisions, depends on,
branch labels) and the questions to ask about it. Builds an Alembic RevisionMap straight from
Revision objects (no files, no database) and writes one JSON answer per case on stdout.

Every answer is {"ok": value}, {"warning": text} (Alembic warned: warnings are turned into errors,
so the answer stops there) or {"error": class name, "message": text, "where": function, "line": source
line} (the last two tell Alembic's own assertions apart). Plans go through the same calls as
ScriptDirectory._upgrade_revs / _downgrade_revs / _stamp_revs, and each step is applied to Alembic's
own HeadMaintainer to record the version table after it. Alembic is only imported, never copied.
"""

import json
import linecache
import sys
import types
import warnings

import alembic
from alembic.runtime.migration import HeadMaintainer, MigrationStep
from alembic.script.base import ScriptDirectory
from alembic.script.revision import Revision, RevisionMap
from alembic.util import CommandError


class Script(Revision):
    """A revision with the do-nothing migration functions a MigrationStep asks for."""

    module = types.SimpleNamespace(upgrade=lambda: None, downgrade=lambda: None)
    doc = ""


class DiscardedStatement:
    """Stands in for the version table: whatever HeadMaintainer builds on it comes back as itself.

    Building real SQLAlchemy statements only to throw them away took half of the oracle's time.
    """

    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __eq__(self, other):
        return self

    __hash__ = object.__hash__


# What HeadMaintainer needs from a MigrationContext. As in offline (--sql) mode, no row counts are
# checked and statements are discarded: the maintainer's own set of heads is the version table.
OFFLINE_CONTEXT = types.SimpleNamespace(
    as_sql=True,
    impl=types.SimpleNamespace(_exec=lambda statement: None),
    _version=DiscardedStatement(),
    version_table="alembic_version",
)


class RecordingHeadMaintainer(HeadMaintainer):
    """Alembic's HeadMaintainer, noting each row change before making it (so a failing one shows)."""

    def __init__(self, heads):
        super().__init__(OFFLINE_CONTEXT, heads)
        self.changes = []

    def _insert_version(self, version):
        self.changes.append(["insert", version])
        super()._insert_version(version)

    def _delete_version(self, version):
        self.changes.append(["delete", version])
        super()._delete_version(version)

    def _update_version(self, from_, to_):
        self.changes.append(["update", from_, to_])
        super()._update_version(from_, to_)


def update_kind(step, heads):
    """Which branch of HeadMaintainer.update_to_step a step takes, tested in the same order."""
    if step.should_delete_branch(heads):
        return "delete"
    if step.should_create_branch(heads):
        return "insert"
    if step.should_merge_branches(heads):
        return "merge"
    if step.should_unmerge_branches(heads):
        return "unmerge"
    return "update"


def error_answer(error):
    # ScriptDirectory wraps revision errors in CommandError; the cause says what went wrong.
    if isinstance(error, CommandError) and error.__cause__ is not None:
        error = error.__cause__
    answer = {"error": type(error).__name__, "message": str(error)}
    frame = error.__traceback__
    if frame is not None:
        while frame.tb_next is not None:
            frame = frame.tb_next
        # Where Alembic raised it: tells its own assertions apart.
        code = frame.tb_frame.f_code
        line = linecache.getline(code.co_filename, frame.tb_lineno).strip()
        answer.update(where=code.co_name, line=line)
    return answer


def ask(question):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            return {"ok": question()}
    except UserWarning as warning:
        return {"warning": str(warning)}
    except Exception as error:  # every failure is an answer, Alembic's crashes included
        return error_answer(error)


def build(revisions):
    def scripts():
        return [
            Script(
                r["id"],
                tuple(r["downRevisions"]) or None,
                dependencies=tuple(r["dependsOn"]) or None,
                branch_labels=tuple(r["branchLabels"]) or None,
            )
            for r in revisions
        ]

    revision_map = RevisionMap(scripts)
    revision_map._revision_map  # builds lazily: force it so that build errors surface here
    script_directory = ScriptDirectory.__new__(ScriptDirectory)
    script_directory.revision_map = revision_map
    return revision_map, script_directory


def describe(revision_map):
    revisions = {}
    for key, r in revision_map._revision_map.items():
        if r is None or key != r.revision:
            continue  # the None/() entries and branch labels
        revisions[key] = {
            "branchLabels": sorted(r.branch_labels),
            "dependsOn": list(r._resolved_dependencies),
            "normalizedDependsOn": sorted(r._normalized_resolved_dependencies),
            "children": sorted(r.nextrev),
            "isBase": r.is_base,
            "isHead": r.is_head,
            "isRealHead": r._is_real_head,
            "isBranchPoint": r.is_branch_point,
            "isMergePoint": r.is_merge_point,
        }
    return {
        "heads": list(revision_map.heads),
        "realHeads": list(revision_map._real_heads),
        "bases": list(revision_map.bases),
        "revisions": revisions,
    }


def name(found):
    """A revision as its id; None (walked past the end) and "base" stay as they are."""
    return found.revision if isinstance(found, Revision) else found


def resolve(revision_map, identifier):
    return {
        "getRevisions": ask(lambda: [name(r) for r in revision_map.get_revisions(identifier)]),
        "getRevision": ask(lambda: name(revision_map.get_revision(identifier))),
        # How `alembic upgrade <identifier>` reads it with an empty version table.
        "upgradeTarget": ask(
            lambda: [name(r) for r in revision_map._parse_upgrade_target((), identifier, True)]
        ),
    }


def version_table(start, steps):
    """The rows after each step, as Alembic's HeadMaintainer keeps them; stops at a failing step."""
    maintainer = RecordingHeadMaintainer(start)
    after = []
    for index, step in enumerate(steps):
        maintainer.changes = []
        kind = None
        try:
            kind = update_kind(step, maintainer.heads)
            maintainer.update_to_step(step)
        except Exception as error:  # HeadMaintainer's own failures are part of the answer
            failure = error_answer(error)
            failure.update(at=index, kind=kind, changes=maintainer.changes)
            return after, failure
        after.append({"kind": kind, "rows": sorted(maintainer.heads)})
    return after, None


def plan_answer(start, steps, describe_step):
    after, failure = version_table(start, steps)
    answer = {"steps": [describe_step(s) for s in steps], "table": after}
    if failure is not None:
        answer["tableFailure"] = failure
    return answer


def migration_step(step):
    return {
        "revision": step.revision.revision,
        "from": list(step.from_revisions),
        "to": list(step.to_revisions),
    }


def stamp_step(step):
    return {
        "from": list(step.from_revisions),
        "to": list(step.to_revisions),
        "up": step.is_upgrade,
        "branchMove": step.branch_move,
    }


def upgrade(revision_map, current, target):
    def plan():
        # ScriptDirectory._upgrade_revs, without its CommandError wrapping.
        revisions = list(revision_map.iterate_revisions(target, tuple(current), implicit_base=True))
        steps = [MigrationStep.upgrade_from_script(revision_map, r) for r in reversed(revisions)]
        return plan_answer(current, steps, migration_step)

    return ask(plan)


def downgrade(revision_map, current, target):
    def plan():
        # ScriptDirectory._downgrade_revs, without its CommandError wrapping.
        revisions = list(
            revision_map.iterate_revisions(tuple(current), target, select_for_downgrade=True)
        )
        steps = [MigrationStep.downgrade_from_script(revision_map, r) for r in revisions]
        return plan_answer(current, steps, migration_step)

    return ask(plan)


def stamp(script_directory, current, targets):
    def plan():
        steps = script_directory._stamp_revs(tuple(targets), tuple(current))
        return plan_answer(current, steps, stamp_step)

    return ask(plan)


def history_range(revision_map, lower, upper):
    """ScriptDirectory.walk_revisions(base=lower or "base", head=upper or "heads").

    A list as the lower end stands for given heads (as `history -r current:` passes them). When
    Alembic's topological sort fails, the answer also holds the revisions it had collected.
    """
    lower = tuple(lower) if isinstance(lower, list) else lower or "base"
    upper = upper or "heads"
    found = ask(
        lambda: [
            r.revision
            for r in revision_map.iterate_revisions(
                upper, lower, inclusive=True, assert_relative_length=False
            )
        ]
    )
    if found.get("where") == "_topological_sort":
        collected, _ = revision_map._collect_upgrade_revisions(
            upper, lower, inclusive=True, implicit_base=False, assert_relative_length=False
        )
        found["collected"] = sorted(r.revision for r in collected)
    return found


def answer(case):
    built = ask(lambda: build(case["revisions"]))
    if "ok" not in built:
        return {"build": built}
    revision_map, script_directory = built["ok"]
    return {
        "build": {"ok": True},
        "info": describe(revision_map),
        "resolve": [resolve(revision_map, i) for i in case["identifiers"]],
        "upgrades": [upgrade(revision_map, c, t) for c, t in case["upgrades"]],
        "downgrades": [downgrade(revision_map, c, t) for c, t in case["downgrades"]],
        "stamps": [stamp(script_directory, c, t) for c, t in case["stamps"]],
        "ranges": [history_range(revision_map, lo, hi) for lo, hi in case["ranges"]],
    }


def main():
    cases = json.load(sys.stdin)
    answers = [answer(c) for c in cases]
    # json.dumps, not json.dump: only the former uses the C encoder.
    sys.stdout.write(json.dumps({"alembic": alembic.__version__, "answers": answers}))


if __name__ == "__main__":
    main()
