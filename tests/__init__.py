# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tests of partnercentral.selling, a package so that the scripts among them run with ``python -m tests.X`` and
import the support layer (tests/support.py) package-relatively, as pytest imports tests/conftest.py.

Test files import their helpers through the collection's name (``ansible_collections.partnercentral.selling.tests``),
as amazon.aws's tests do: pytest puts ``.tmp/collections`` on its path (pyproject.toml), where tests/conftest.py links
this checkout.
"""
