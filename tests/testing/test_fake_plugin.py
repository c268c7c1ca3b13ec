"""The pytest plugin: its fixtures, and enabling it the documented way in another project."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from talon_async import TalonClient
from talon_async.testing import FakeTalon


async def test_fixtures_give_a_running_fake_and_its_client(
    talon_fake: FakeTalon, talon_client: TalonClient
) -> None:
    assert talon_client.base_url == talon_fake.url
    talon_fake.add_profile("alice")
    await talon_client.customer_data.delete("alice")
    assert talon_fake.profiles == {} and talon_fake.requests[0].status == 204


async def test_fake_and_client_lifecycle() -> None:
    fake = FakeTalon()
    try:
        fake.url  # noqa: B018
    except RuntimeError as error:
        assert "not running" in str(error)
    else:
        raise AssertionError("url before start must fail")
    await fake.start()
    url = fake.url
    try:
        await fake.start()
    except RuntimeError as error:
        assert "already running" in str(error)
    else:
        raise AssertionError("starting twice must fail")
    await fake.close()
    await fake.close()
    async with fake:  # a closed fake can start again, on a new port
        assert fake.url.startswith("http://127.0.0.1:") and fake.url != url


def test_plugin_enabled_from_a_users_conftest(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"
        "filterwarnings = error\n"
    )
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["talon_async.testing.pytest_plugin"]\n'
    )
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import pytest
            from talon_async.models.profiles import CustomerProfileIntegrationRequestV2

            @pytest.mark.asyncio
            async def test_profile(talon_fake, talon_client):
                body = CustomerProfileIntegrationRequestV2(attributes={"tier": "gold"})
                state = await talon_client.profiles.update_v2("alice", body)
                assert state.customer_profile.attributes == {"tier": "gold"}
                assert talon_fake.profiles["alice"]["attributes"] == {"tier": "gold"}

            @pytest.mark.asyncio
            async def test_isolated(talon_fake):
                assert talon_fake.profiles == {}
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
