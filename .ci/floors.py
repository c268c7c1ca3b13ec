"""Print the lowest version every runtime dependency allows, as pip constraints.

``python3 .ci/floors.py > floors.txt`` turns each ``name>=X`` of ``[project]
dependencies`` and of the ``taskiq`` extra into ``name==X``: CI's lowest-versions leg
installs with ``pip install -c floors.txt``, so the floors that pyproject.toml declares are
the versions the tests ran with.
"""

import re
import sys
from pathlib import Path

import tomllib

project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["taskiq"]:
    floor = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement)
    if floor is None:
        sys.exit(f"{requirement!r}: every runtime dependency needs a floor, written name>=X")
    print(f"{floor[1]}=={floor[2]}")
