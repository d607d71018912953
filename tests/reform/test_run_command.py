"""The README's run command serves the Chinese login page with a worker beside it."""

import pytest

from tests.processes import ROOT, celery_client, free_port, ping_worker, process_env, running, wait_for_http

pytestmark = pytest.mark.slow


def test_run_command_serves_chinese_login_page_and_runs_a_worker_with_beat(tmp_path):
    port = free_port()
    env = process_env(DATA_DIR=str(tmp_path), BIND=f"127.0.0.1:{port}", DATABASE_URL=None, REDIS_URL=None)
    log = tmp_path / "serve.log"
    # scripts/run is scripts/setup (done already by the test command) then scripts/serve.
    with running(["bash", str(ROOT / "scripts" / "serve")], env, log) as process:
        page = wait_for_http(f"http://127.0.0.1:{port}/accounts/login/", timeout=120, process=process, log=log)

        assert '<html lang="zh-hans">' in page
        assert "登录" in page
        assert "改革任务督办平台" in page
        assert ping_worker(celery_client(data_dir=tmp_path)) == "pong"
        assert "beat: Starting" in log.read_text(errors="replace")
    assert "用户名 guozi_staff" in log.read_text(errors="replace")
