"""Loading a hub: each kind of mistake gets its own message, file and line."""

from __future__ import annotations

from pathlib import Path

from hubgen.load import load_hub
from hubgen.pipeline import check
from hubgen.problems import Severity
from tests.conftest import minimal_hub, project_yml


def problems(root: Path) -> list[str]:
    return [str(p) for p in check(root).problems]


def one(root: Path, needle: str) -> str:
    found = [p for p in problems(root) if needle in p]
    assert found, f"no problem mentioning {needle!r} in {problems(root)}"
    return found[0]


def test_valid_hub_has_no_problems(make_hub):
    hub = load_hub(make_hub())
    assert hub.problems == ()
    assert set(hub.projects) == {"churn"}
    assert hub.projects["churn"].leads == ("ana",)
    assert set(hub.people) == {"ana", "ben"}


def test_unknown_person_names_file_line_and_suggestion(make_hub):
    root = make_hub(**{"content/projects/churn/project.yml": project_yml(lead="anna")})
    msg = one(root, "unknown person")
    assert msg.startswith("content/projects/churn/project.yml:5: unknown person 'anna'")
    assert "did you mean 'ana'?" in msg


def test_dangling_project_reference_in_prior_art_and_lineage(make_hub):
    root = make_hub(
        **{
            "content/projects/churn/project.yml": project_yml(extra="prior_art:\n  - churn-v0\n"),
            "content/projects/churn/lineage.yml": "consumes:\n  - dataset:crm\n  - pricing-2024\n",
        }
    )
    assert one(root, "churn-v0").startswith("content/projects/churn/project.yml:5: unknown project 'churn-v0'")
    assert one(root, "pricing-2024").startswith("content/projects/churn/lineage.yml:3: unknown project 'pricing-2024'")


def test_wrong_type_says_what_was_found(make_hub):
    root = make_hub(**{"content/projects/churn/project.yml": project_yml(extra="tags:\n  nlp: yes\n")})
    msg = one(root, "'tags'")
    assert "content/projects/churn/project.yml:4:" in msg
    assert "must be a list of text, not a mapping" in msg


def test_bad_date_and_impossible_date(make_hub):
    root = make_hub(
        **{"content/projects/churn/project.yml": project_yml(extra="started: March 2024\nended: 2024-02-30\n")}
    )
    assert one(root, "'started'").startswith(
        "content/projects/churn/project.yml:4: 'started' must be a date (YYYY-MM-DD)"
    )
    assert "not a real date" in one(root, "'ended'")


def test_bad_id_in_folder_name(make_hub):
    files = minimal_hub()
    files["content/projects/Churn Model/project.yml"] = project_yml()
    root = make_hub(files)
    msg = one(root, "Churn Model")
    assert "'Churn Model' is not a valid project id" in msg
    assert "lowercase" in msg


def test_duplicate_null_result_ids_across_projects(make_hub):
    nr = "---\ntitle: T\ndate: 2024-01-01\nauthors: [ana]\nhypothesis: h\noutcome: o\n---\nBody\n"
    root = make_hub(
        **{
            "content/projects/churn/null-results/same.md": nr,
            "content/null-results/same.md": nr,
        }
    )
    msg = one(root, "duplicate null result id 'same'")
    assert "also content/" in msg
    assert len(load_hub(root).null_results) == 1


def test_missing_required_field_skips_the_record(make_hub):
    root = make_hub(
        **{
            "content/projects/churn/project.yml": "title: T\nstatus: active\nstage: data\n"
            "people:\n  - {person: ana, role: lead}\n"
        }
    )
    msg = one(root, "missing required field 'summary'")
    assert msg.startswith("content/projects/churn/project.yml:1:")
    hub = load_hub(root)
    assert "churn" not in hub.projects
    assert "content/projects/churn/project.yml" in hub.skipped


def test_invalid_yaml_reports_the_line(make_hub):
    root = make_hub(**{"content/people/ben.yml": "name: Ben\nteam: [marketing\nemail: b@x\n"})
    msg = one(root, "invalid YAML")
    assert msg.startswith("content/people/ben.yml:")
    assert "ben" not in load_hub(root).people


def test_tabs_get_a_tab_hint(make_hub):
    root = make_hub(**{"content/people/ben.yml": "name: Ben\nskills:\n\t- sql\n"})
    assert "spaces, not tabs" in one(root, "invalid YAML")


def test_duplicate_key_names_both_lines(make_hub):
    root = make_hub(**{"content/people/ben.yml": "name: Ben\nteam: a\nteam: b\n"})
    assert one(root, "duplicate key").startswith("content/people/ben.yml:3: duplicate key 'team' (first at line 2)")


def test_empty_file(make_hub):
    root = make_hub(**{"content/people/ben.yml": ""})
    assert one(root, "empty").startswith("content/people/ben.yml:1: file is empty")


def test_unquoted_colon_gets_a_quoting_hint(make_hub):
    root = make_hub(**{"content/projects/churn/project.yml": project_yml(extra="risks:\n  - Data: late by weeks\n")})
    assert "quotes" in one(root, "risks[0]")


def test_active_project_needs_a_stage_and_every_project_a_lead(make_hub):
    root = make_hub(
        **{
            "content/projects/churn/project.yml": "title: T\nsummary: S\nstatus: active\npeople:\n  - {person: ana, role: contributor}\n"
        }
    )
    assert one(root, "needs a 'stage'").startswith("content/projects/churn/project.yml:3:")
    assert "no person has the role 'lead'" in one(root, "lead")


def test_unknown_status_suggests_the_closest(make_hub):
    root = make_hub(**{"content/projects/churn/project.yml": project_yml(status="deliverd")})
    assert "did you mean 'delivered'?" in one(root, "deliverd")


def test_unknown_fields_are_kept_not_dropped(make_hub):
    root = make_hub(**{"content/projects/churn/project.yml": project_yml(extra="jira: DS-1423\n")})
    hub = load_hub(root)
    assert hub.projects["churn"].extra == {"jira": "DS-1423"}
    assert not [p for p in hub.problems if p.severity is Severity.ERROR]


def test_discussion_messages_and_bad_heading(make_hub):
    root = make_hub(
        **{
            "content/projects/churn/discussions/model-choice.md": (
                "---\ntitle: Which model?\nstatus: decided\ndecision: XGBoost\n---\n"
                "We need to pick one.\n\n## @ana 2024-03-01\nXGBoost.\n\n## @ben 2024-03-02\nAgreed.\n\n## @ben March\nOops\n"
            )
        }
    )
    hub = load_hub(root)
    d = hub.discussions["churn/model-choice"]
    assert d.context == "We need to pick one."
    assert [(m.author, str(m.date)) for m in d.messages] == [("ana", "2024-03-01"), ("ben", "2024-03-02")]
    assert "Oops" in d.messages[-1].text  # kept, not dropped
    assert one(root, "message heading").startswith("content/projects/churn/discussions/model-choice.md:14:")


def test_missing_content_folder(tmp_path):
    msg = [str(p) for p in load_hub(tmp_path).problems]
    assert msg == [
        "content: no content/ folder in the hub repository (run 'hubgen init' or point --repo at the repository root)"
    ]


def test_a_linked_folder_leading_outside_is_not_read(make_hub, tmp_path):
    outside = tmp_path / "elsewhere" / "evil"
    outside.mkdir(parents=True)
    (outside / "project.yml").write_text(project_yml(title="Outside secret"))
    root = make_hub()
    (root / "content/projects/evil").symlink_to(outside, target_is_directory=True)
    hub = load_hub(root)
    assert "evil" not in hub.projects
    assert one(root, "evil") == (
        "content/projects/evil: symbolic link points outside the repository; not read "
        "(copy the file into the repository instead of linking to it)"
    )


def test_large_hubs_load_in_two_processes_with_the_same_result(tmp_path, monkeypatch):
    import hubgen.load as load
    from benchmarks.generate_hub import generate

    root = tmp_path / "hub"
    generate(root, 40, seed=5)
    projects = root / "content" / "projects"
    first, second = projects / "project-00004", projects / "project-00031"  # one in each half
    author = sorted((root / "content" / "people").glob("*.yml"))[0].stem
    for folder in (first, second):
        (folder / "null-results").mkdir(exist_ok=True)
        (folder / "null-results" / "same-id.md").write_text(
            f"---\ntitle: T\ndate: 2025-01-01\nauthors: [{author}]\nhypothesis: H\noutcome: O\nreason: data\n---\n\nBody\n"
        )
    (second / "lineage.yml").write_text("consumes: [not an asset key\n")
    monkeypatch.setattr(load, "PARALLEL_FROM", 10)
    parallel = check(root)
    monkeypatch.setattr(load, "PARALLEL_FROM", 10**9)
    sequential = check(root)
    assert parallel == sequential
    shown = [str(p) for p in parallel.problems]
    assert any(
        s.startswith(
            "content/projects/project-00031/null-results/same-id.md: duplicate null result id "
            "'same-id' (also content/projects/project-00004/null-results/same-id.md)"
        )
        for s in shown
    )
    assert any(s.startswith("content/projects/project-00031/lineage.yml:2: invalid YAML") for s in shown)
    assert len(parallel.projects) == 40
    assert parallel.null_results["same-id"].project == "project-00004"  # the first one read wins, as in one pass


STAGE_HISTORY = """\
stage: delivery
started: 2024-03-01
ended: 2024-12-01
stage_history:
  - stage: data
    date: 2024-01-10
  - stage: validation
    date: 2024-06-01
  - stage: research
    date: 2024-04-01
  - stage: monitoring
    date: 2025-01-05
"""


def test_stage_history_is_checked_against_its_order_the_dates_and_the_stage(make_hub):
    root = make_hub(**{"content/projects/churn/project.yml": project_yml(extra=STAGE_HISTORY)})
    path = "content/projects/churn/project.yml"
    assert one(root, "before 'started'").startswith(
        f"{path}:9: warning: stage 'data' entered on 2024-01-10, before 'started'"
    )
    assert one(root, "out of order").startswith(
        f"{path}:13: warning: stage_history is out of order: 'research' (2024-04-01)"
    )
    assert one(root, "after 'ended'").startswith(
        f"{path}:15: warning: stage 'monitoring' entered on 2025-01-05, after 'ended'"
    )
    msg = one(root, "latest stage_history entry")
    assert msg.startswith(
        f"{path}:4: warning: 'stage' is delivery, but the latest stage_history entry (2025-01-05) is monitoring"
    )
    assert "set stage: monitoring" in msg


def test_stage_history_problems_fail_a_strict_check(make_hub, capsys):
    from hubgen.cli import main

    ordered = (
        "problem: Members leave before renewal.\nstage: research\nstarted: 2024-03-01\nstage_history:\n  - stage: data\n    date: 2024-03-01\n"
        "  - stage: research\n    date: 2024-05-01\n"
    )
    clean = make_hub(**{"content/projects/churn/project.yml": project_yml(status="active", extra=ordered)})
    assert main(["check", "--repo", str(clean), "--strict"]) == 0
    bad = ordered.replace("stage: research\nstarted", "stage: validation\nstarted")
    (clean / "content/projects/churn/project.yml").write_text(project_yml(status="active", extra=bad))
    assert main(["check", "--repo", str(clean), "--strict"]) != 0
    assert "latest stage_history entry" in capsys.readouterr().out + capsys.readouterr().err


def test_a_server_frees_what_a_load_froze_even_in_cycles(make_hub):
    """Loads freeze their objects out of the cycle collector's sight (much faster on big hubs); a
    server's release after each build must still free garbage cycles that a load froze."""
    import gc
    import weakref

    from hubgen.collector import release

    class Node:
        pass

    root = make_hub()
    cycle = Node()
    cycle.me = cycle  # type: ignore[attr-defined]  # garbage only a cycle collection frees
    alive = weakref.ref(cycle)
    assert gc.isenabled()
    load_hub(root)  # freezes everything alive, the cycle too
    assert gc.isenabled()  # the collector is as the caller had it
    del cycle
    gc.collect()
    assert alive() is not None  # frozen: out of the collector's sight
    release()
    assert alive() is None
    gc.disable()
    try:
        load_hub(root)
        assert not gc.isenabled()  # a caller's disabled collector stays disabled
    finally:
        gc.enable()
        release()


def test_overlapping_pauses_in_two_threads_keep_the_collector_off_until_the_last_ends():
    """hubgen serve's quick update pauses the collector and a rebuild starts meanwhile: the update ending
    first must not switch it on in the middle of the rebuild's pass (full collections would stall both)."""
    import gc
    import threading

    from hubgen import collector

    assert gc.isenabled()
    rebuild_in, update_done, rebuild_may_end = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def rebuild() -> None:
        with collector.paused():
            rebuild_in.set()
            update_done.wait(5)
            seen["during the rebuild, after the update"] = gc.isenabled()
            rebuild_may_end.wait(5)

    worker = threading.Thread(target=rebuild)
    with collector.paused():  # the update, started before the rebuild and ended inside its pause
        worker.start()
        rebuild_in.wait(5)
    update_done.set()
    rebuild_may_end.set()
    worker.join(5)
    assert seen == {"during the rebuild, after the update": False}
    assert gc.isenabled()  # back on once both ended, as before the first


def test_a_loader_process_whose_parent_is_gone_exits(tmp_path: Path):
    """A server stopped while its load's second half runs in a forked process: that process must not stay
    behind, blocked on a pipe nobody reads, holding a copy of the server's memory."""
    import multiprocessing
    from datetime import date

    from benchmarks.generate_hub import generate
    from hubgen import load
    from hubgen.load.files import Repo

    root = tmp_path / "hub"
    generate(root, 60, seed=5)
    folders = sorted((root / "content" / "projects").iterdir())
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    worker = fork.Process(
        target=load._project_worker, args=(receive, send, Repo(root), folders, date(2025, 12, 1), None), daemon=True
    )
    worker.start()
    send.close()
    receive.close()  # the parent is gone: nobody will read the (larger than a pipe's buffer) result
    worker.join(30)
    try:
        assert worker.exitcode is not None, "the loader process is still running"
    finally:
        if worker.is_alive():
            worker.kill()
