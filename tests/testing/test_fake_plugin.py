"""The pytest plugin: its fixtures here, and in a user's project under each async runner."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


USER_TESTS = """
import json
import urllib.request

import pytest

from talon_async.models import CustomerProfileIntegrationRequestV2


async def update_and_check(talon_fake, talon_client):
    body = CustomerProfileIntegrationRequestV2(attributes={"tier": "gold"})
    state = await talon_client.profiles.update_v2("alice", body)
    assert state.customer_profile.attributes == {"tier": "gold"}
    assert talon_fake.profiles["alice"]["attributes"] == {"tier": "gold"}


{asyncio_mark}
async def test_with_pytest_asyncio(talon_fake, talon_client):
    await update_and_check(talon_fake, talon_client)


@pytest.mark.anyio
async def test_with_anyio(talon_fake, talon_client):
    await update_and_check(talon_fake, talon_client)


def test_synchronous(talon_fake_server):
    talon_fake_server.add_profile("bob")
    request = urllib.request.Request(
        talon_fake_server.url + "/v1/customer_profiles/bob/inventory?profile=true",
        headers={"Authorization": "ApiKey-v1 " + talon_fake_server.api_key},
    )
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["profile"]["integrationId"] == "bob"


def test_synchronous_with_the_loop_fixture(talon_fake):
    pass
"""


def write_user_project(pytester: pytest.Pytester, mode: str, asyncio_mark: str) -> None:
    pytester.makeini(
        f"[pytest]\nasyncio_mode = {mode}\nasyncio_default_fixture_loop_scope = function\n"
        "filterwarnings = error\n"
    )
    pytester.makepyfile(test_user=USER_TESTS.replace("{asyncio_mark}", asyncio_mark))


@pytest.mark.parametrize(
    ("mode", "asyncio_mark", "tests"),
    [
        ("strict", "@pytest.mark.asyncio", ""),
        ("auto", "", "not anyio"),  # auto mode claims every async test: anyio needs strict
    ],
)
def test_fixtures_in_a_users_project_with_pytest_asyncio(
    pytester: pytest.Pytester, mode: str, asyncio_mark: str, tests: str
) -> None:
    write_user_project(pytester, mode, asyncio_mark)
    if mode == "strict":  # the line older versions needed is harmless
        pytester.makeconftest('pytest_plugins = ["talon_async.testing.pytest_plugin"]\n')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-k", tests)
    result.assert_outcomes(passed=3 if mode == "strict" else 2, errors=1)
    result.stdout.fnmatch_lines(
        ["*talon_fake runs on the test's event loop, so the test must be async;*"]
    )


WITHOUT_PYTEST_ASYNCIO = """
import sys

import pytest


class NoPytestAsyncio:
    # pytest-asyncio is installed here: make importing it fail, as when it is not.
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pytest_asyncio":
            raise ModuleNotFoundError(name)


sys.meta_path.insert(0, NoPytestAsyncio())
sys.exit(pytest.main(["-p", "no:asyncio", "-p", "no:cacheprovider", *sys.argv[1:]]))
"""


def test_fixtures_without_pytest_asyncio(pytester: pytest.Pytester) -> None:
    write_user_project(pytester, "strict", "")
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    runner = pytester.makepyfile(run_without_pytest_asyncio=WITHOUT_PYTEST_ASYNCIO)
    result = pytester.run(sys.executable, runner, "-k", "anyio or synchronous", timeout=120)
    result.assert_outcomes(passed=2, errors=1)


def test_loading_the_plugin_imports_no_aiohttp() -> None:
    code = (
        "import sys, talon_async.testing.pytest_plugin\n"
        "assert 'aiohttp' not in sys.modules\n"
        "from talon_async.testing import FakeTalon\n"
        "assert 'aiohttp' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
