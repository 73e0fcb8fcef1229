"""A Celery worker SIGKILLed in the middle of a face job: its lease runs out,
the reconciler (Celery beat embedded in the fresh worker) hands the job out
again, the fresh worker runs it and it ends `done` with one set of face rows,
within 60 s of the kill. (RabbitMQ also gives the unacknowledged message back
at once; the job's live lease makes that delivery a no-op.)

The killed worker talks to ai_server through a tiny stand-in that holds the
first /v1/compose call until the worker is dead, so the kill lands while the
job row is `running`. Every other call is proxied untouched to the real
ai_server, which does the work. The workers consume their own queue, so the
stack's worker never sees this job."""

from __future__ import annotations

import os
import signal
import time
import uuid

import psycopg

from scripts.procs import PYTHON, ProcessGroup
from scripts.stack.services import delete_queue
from tests.e2e.helpers import astronaut_jpeg
from tests.faults import AiEdge, report
from tests.integration.conftest import MAIN, manage_shell


def _job_row(dsn: str, job_id: str) -> tuple[str, int, str, str]:
    with psycopg.connect(dsn, connect_timeout=5) as conn:
        row = conn.execute(
            "SELECT status, attempts, error, result_image FROM faces_job WHERE id = %s", (job_id,)
        ).fetchone()
    assert row is not None, f"job {job_id} is gone"
    return row


def _wait_status(dsn: str, job_id: str, final: tuple[str, ...], timeout: float) -> tuple[str, int, str, str]:
    deadline = time.monotonic() + timeout
    while True:
        row = _job_row(dsn, job_id)
        if row[0] in final or time.monotonic() > deadline:
            return row
        time.sleep(0.3)


def test_killed_worker_job_is_redelivered_and_done(stack, tmp_path):
    env = stack["env"]
    dsn = env["DATABASE_URL"]
    queue = f"{env['CELERY_QUEUE']}_killed_{uuid.uuid4().hex[:6]}"
    edge = AiEdge(stack["ai_port"], hold_first_compose=True)
    worker_env = {
        **env,
        "CELERY_QUEUE": queue,
        "AI_SERVER_URL": edge.url,
        "WORKER_METRICS_PORT": "0",
    }
    group = ProcessGroup(log_dir=tmp_path / "logs")

    def start_worker(name: str, *extra: str):
        return group.start(name, [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool", "threads",
                                  "--concurrency", "2", "--loglevel", "INFO", *extra,
                                  "--hostname", f"{name}-{uuid.uuid4().hex[:6]}@%h"], cwd=MAIN, env=worker_env)

    try:
        doomed = start_worker("worker_doomed")
        photo = tmp_path / "photo.jpg"
        photo.write_bytes(astronaut_jpeg(0.75))
        email = f"k{uuid.uuid4().hex[:10]}@example.org"
        # job_create enqueues on commit, to CELERY_QUEUE of this shell: our queue.
        job_id = manage_shell(worker_env, (
            "from django.core.files.uploadedfile import SimpleUploadedFile\n"
            "from accounts.models import User\n"
            "from emojis.models import EmojiTemplate\n"
            "from faces.services import job_create\n"
            f"owner = User.objects.create_user({email!r}, 'a long and unusual passphrase 42', alias={email[:11]!r})\n"
            "noto = EmojiTemplate.objects.get(is_builtin=True, name='Noto')\n"
            f"data = open({str(photo)!r}, 'rb').read()\n"
            "image = SimpleUploadedFile('photo.jpg', data, content_type='image/jpeg')\n"
            "print(job_create(owner=owner, template_id=noto.id, image=image, overrides={}).id)\n"
        )).strip().splitlines()[-1]

        assert edge.held.wait(60), f"the first worker never called ai_server; job row: {_job_row(dsn, job_id)}"
        status, attempts, _, _ = _job_row(dsn, job_id)
        assert (status, attempts) == ("running", 1), (status, attempts)

        os.killpg(doomed.popen.pid, signal.SIGKILL)
        assert doomed.popen.wait(timeout=10) == -signal.SIGKILL
        killed_at = time.monotonic()
        edge.release.set()
        assert _job_row(dsn, job_id)[0] == "running"  # nothing finished it behind our back

        start_worker("worker_fresh", "-B", "--schedule", str(tmp_path / "celerybeat-schedule"))
        status, attempts, error, result_image = _wait_status(dsn, job_id, ("done", "failed"), timeout=90)
        recovered_in = time.monotonic() - killed_at
        assert status == "done", (status, attempts, error, group.children[-1].log_path.read_text()[-3000:])
        report("RabbitMQ worker killed -9 mid-job", recovered_in)
        assert recovered_in < 60, f"done {recovered_in:.0f} s after the kill"
        assert attempts == 2, attempts  # handed out once more
        assert result_image, "a done job has its result picture"
        assert edge.compose_calls >= 2, edge.compose_calls  # the held call, then the fresh worker's

        with psycopg.connect(dsn, connect_timeout=5) as conn:
            indexes = [r[0] for r in conn.execute(
                "SELECT index FROM faces_face WHERE job_id = %s ORDER BY index", (job_id,)
            ).fetchall()]
            jobs = conn.execute(
                "SELECT count(*) FROM faces_job j JOIN accounts_user u ON u.id = j.owner_id WHERE u.email = %s",
                (email,),
            ).fetchone()[0]
        assert indexes, "the astronaut's face was found"
        assert indexes == list(range(len(indexes))), f"face rows duplicated or out of order: {indexes}"
        assert jobs == 1
    except BaseException:
        for child in group.children:
            if child.log_path:
                print(f"--- {child.name} log tail\n{child.log_path.read_text(errors='replace')[-3000:]}")
        raise
    finally:
        group.stop()
        edge.close()
        delete_queue(env["CELERY_BROKER_URL"], queue)

