# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

hack/offline/ansible_test_offline.py copies this file to ``$HOME/.ansible/test/cache/get_pip_<version>.py`` with the
wheels of what ansible-test bootstraps beside it. ansible-test runs it (through runpy) with pip options such as
``--disable-pip-version-check --quiet pip==24.2 --no-setuptools --no-wheel`` (ansible-test 2.17:
``pip==23.1.2 setuptools==67.7.2 wheel==0.37.1``); like get-pip.py, it installs those into the running interpreter,
but from the local wheels instead of a zip embedded in the script.
"""

from __future__ import annotations

import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# get-pip.py options that are not pip install options.
GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")


def main() -> int:
    wheels = sorted(glob.glob(os.path.join(HERE, "pip-*-py3-none-any.whl")))
    if not wheels:
        sys.stderr.write("get_pip_offline: no pip wheel beside %s\n" % __file__)
        return 1
    # A wheel is a zip file: pip runs from it directly, as get-pip.py does with its embedded copy.
    sys.path.insert(0, wheels[-1])
    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    return pip_main(["install", "--upgrade", "--force-reinstall", "--no-index", "--find-links", HERE] + args)


if __name__ == "__main__":
    sys.exit(main())
