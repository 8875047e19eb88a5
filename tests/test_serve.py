"""`hubgen serve` (issue 16): says where it serves, what each rebuild followed, and keeps a good site up."""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from hubgen.cli import EXIT_OK, main

PROJECT = "content/projects/churn-early-warning/project.yml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lines:
    """stderr of a running process, line by line, waited on with a timeout."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=lambda: [self.queue.put(line) for line in process.stderr], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} in:\n{''.join(self.seen)}")

    def none_for(self, text: str, seconds: float) -> None:
        """No line with `text` comes within `seconds`."""
        try:
            line = self.wait_for(text, seconds)
        except AssertionError:
            return
        raise AssertionError(f"unexpected {line!r} after:\n{''.join(self.seen)}")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def test_serve_reports_url_changes_and_keeps_the_last_good_site(tmp_path: Path):
    hub = tmp_path / "hub"
    assert main(["init", str(hub)]) == EXIT_OK
    port = free_port()
    temp = tmp_path / "tmp"  # where serve keeps the site it serves
    temp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "hubgen", "serve", "--repo", str(hub), "--dev-addr", f"127.0.0.1:{port}"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    try:
        lines = Lines(process)
        assert "built in" in lines.wait_for("hubgen serve: built")
        lines.wait_for(f"serving http://127.0.0.1:{port}/")
        time.sleep(2)  # the file watcher starts just after the line is printed
        page = f"http://127.0.0.1:{port}/projects/churn-early-warning/"
        record = hub / PROJECT
        good = record.read_text().replace("title: ", "title: Renamed in serve ", 1)
        record.write_text(good)
        # the edited page first, while the rebuild runs (the lines come in this order)
        assert "/projects/churn-early-warning/" in lines.wait_for("showing the edit on")
        assert "Renamed in serve" in fetch(page)
        line = lines.wait_for("rebuilt in")
        assert f"after {PROJECT} (changed)" in line
        reused = re.search(r"\(([\d,]+) page\(s\) reused unchanged, ([\d,]+) rendered\)", line)
        assert reused and int(reused[1].replace(",", "")) > 0, line  # the pages the edit did not touch
        assert "Renamed in serve" in fetch(page)
        # The rebuild read all of content/; reading is not a change, so no rebuild follows it (there was one
        # after every rebuild while the watcher reported files opened).
        took = float(re.search(r"rebuilt in ([\d.]+)s", line)[1])  # type: ignore[index]
        lines.none_for("rebuilt in", max(5.0, 2.5 * took))

        record.write_text("title: [broken\n")
        lines.wait_for(f"{PROJECT}:2: invalid YAML")
        assert "still serving the last good site" in lines.wait_for("still serving")
        time.sleep(3)
        print(
            "SEEN",
            "".join(lines.seen),
            "".join(iter(lambda: lines.queue.get(timeout=1) if not lines.queue.empty() else "", "")),
        )
        assert "Renamed in serve" in fetch(page)  # not the site without the broken record
        assert [p.name for p in temp.iterdir()] and process.poll() is None
    finally:
        process.terminate()  # as a service manager stops it: the served site goes, as on Ctrl-C
        process.wait(timeout=30)
    assert [p.name for p in temp.iterdir()] == []


def test_serving_releases_what_loads_froze_even_under_serve_clean(monkeypatch):
    """`mkdocs serve --clean` starts up as a "build": on_serve must still mark the process as serving,
    so each rebuild's loaded hub is handed back to the collector instead of piling up frozen."""
    from mkdocs_hubgen.plugin import HubgenPlugin

    from hubgen import collector

    released: list[bool] = []
    monkeypatch.setattr(collector, "release", lambda: released.append(True))
    monkeypatch.setattr(HubgenPlugin, "serving", False)
    plugin = HubgenPlugin()
    plugin.on_startup(command="build", dirty=False)
    assert HubgenPlugin.serving is False
    server = object()
    assert plugin.on_serve(server, config=None, builder=None) is server  # type: ignore[arg-type]
    assert HubgenPlugin.serving is True and released == [True]


def test_the_watcher_hears_files_written_not_files_read(tmp_path: Path):
    """Every rebuild reads all of content/: were reads events, each would ask for another rebuild."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler

    from hubgen.serve import writes_observer

    record = tmp_path / "project.yml"
    record.write_text("title: A\n")
    heard: list[FileSystemEvent] = []

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if not event.is_directory:
                heard.append(event)

    observer = writes_observer()
    observer.schedule(Handler(), str(tmp_path), recursive=True)
    observer.start()
    try:
        time.sleep(0.5)
        for _ in range(3):
            record.read_text()
            sorted(tmp_path.iterdir())
        time.sleep(1.0)
        assert heard == []
        record.write_text("title: B\n")
        deadline = time.monotonic() + 10
        while not heard and time.monotonic() < deadline:
            time.sleep(0.05)
        assert heard and Path(heard[0].src_path) == record
    finally:
        observer.stop()
        observer.join()
