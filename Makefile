# Development tasks of the partnercentral.selling collection. `make help` lists them.
#
# Every target sets itself up on a fresh machine: the virtualenv .venv/ is created from requirements-dev.txt when
# it is missing or when a requirements file changed (a stamp file named after the requirements' hash, so a warm run
# costs nothing), and all Ansible state goes under .tmp/ (never to ~/.ansible).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

# The interpreter that creates the virtualenvs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# A compat lane may need another Python minor (PYTHON_VERSION=3.13: ansible-core 2.20+ needs 3.12+). The machine
# image has it under pyenv; pyenv's shim on PATH (python3.13) refuses to run unless that version is selected, so the
# real interpreter is looked up under `pyenv root` (newest patch release), then on PATH. `override`: .ci/run passes
# PYTHON on make's command line, which the lane's sub-make inherits.
ifneq ($(PYTHON_VERSION),)
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
override PYTHON := $(or $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/$(PYTHON_VERSION).*/bin/python$(PYTHON_VERSION)))),$\
	$(shell python$(PYTHON_VERSION) -c 'import sys; print(sys.executable)' 2>/dev/null),$\
	$(error Python $(PYTHON_VERSION) not found: neither $(PYENV_ROOT)/versions/$(PYTHON_VERSION).*/bin/python$(PYTHON_VERSION) $\
	nor a working python$(PYTHON_VERSION) on PATH (install it with `pyenv install $(PYTHON_VERSION)`)))
endif
# `make compat` runs the same targets with VENV=.venv-compat-NN REQUIREMENTS=requirements-compat-NN.txt.
VENV ?= .venv
REQUIREMENTS ?= requirements-dev.txt

PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV_DIR := $(CURDIR)/$(VENV)
VENV_BIN := $(VENV_DIR)/bin
VENV_PYTHON := $(VENV_BIN)/python
SITE_PACKAGES := $(VENV_DIR)/lib/python$(PY_VERSION)/site-packages
# emulator/pyproject.toml too: its entry points and dependencies only take effect when pip installs it again.
# A requirements file may come with a companion NAME-no-deps.txt, installed after it with `pip install --no-deps` (for a
# package whose pins would pull in another version of what NAME.txt pins; see requirements-compat-17.txt).
REQUIREMENTS_NO_DEPS := $(wildcard $(REQUIREMENTS:.txt=-no-deps.txt))
REQUIREMENTS_HASH := $(shell cat requirements.txt $(REQUIREMENTS) $(REQUIREMENTS_NO_DEPS) emulator/pyproject.toml | sha256sum | cut -c1-16)
VENV_STAMP := $(VENV)/.installed-$(REQUIREMENTS_HASH)

TMP_DIR := $(CURDIR)/.tmp
# "" for .venv, "-compat-11" for .venv-compat-11: each virtualenv gets its own ansible-test tree and Ansible home.
VARIANT := $(patsubst .venv%,%,$(VENV))
ANSIBLE_TEST_WORK := $(TMP_DIR)/ansible-test$(VARIANT)
COLLECTIONS_DIR := $(TMP_DIR)/collections
# tests/conftest.py makes the same link; ansible-playbook and ansible-doc find the checkout through it.
COLLECTION_LINK := $(COLLECTIONS_DIR)/ansible_collections/partnercentral/selling
BUILD_DIR := $(TMP_DIR)/build

export ANSIBLE_HOME := $(TMP_DIR)/ansible-home$(VARIANT)
export ANSIBLE_LOCAL_TEMP := $(TMP_DIR)/ansible-local-tmp
export ANSIBLE_REMOTE_TMP := $(TMP_DIR)/ansible-remote-tmp
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS_DIR):$(SITE_PACKAGES)
# Interpreter discovery can pick a broken pyenv shim; modules run with the virtualenv's python.
export ANSIBLE_PYTHON_INTERPRETER := $(VENV_PYTHON)
export PATH := $(VENV_BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

PYTEST_ARGS ?=
PYTEST_SUMMARY_FILE ?=
# pytest-xdist workers; a test file stays on one worker (its module-scoped fixtures and scenarios are shared).
# PYTEST_WORKERS=0 runs in one process (for -s, --pdb). Each target and venv gets its own --basetemp, so that runs
# side by side (make test and make compat in .ci/run) never clean up each other's temporary directories.
PYTEST_WORKERS ?= 4
RUN_PYTEST = $(VENV_PYTHON) hack/run_pytest.py $(if $(PYTEST_SUMMARY_FILE),--summary-file $(PYTEST_SUMMARY_FILE))
PYTEST_XDIST = -n $(PYTEST_WORKERS) --dist loadfile --basetemp $(TMP_DIR)/pytest-$@$(VARIANT)
SANITY_ARGS ?=
LINT_PATHS := plugins extensions tests hack emulator
COMPAT_VERSIONS := 17 18 20 21

.PHONY: help
help: ## List the targets
	@echo "partnercentral.selling development targets (each sets itself up):"
	@grep -E '^[a-z][a-z0-9_-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-18s %s\n", $$1, $$2}'

# --- setup -------------------------------------------------------------------------------------------------------

# --no-compile: the `ansible` package is tens of thousands of files of collections; byte-compiling all of them at
# install time is wasted work, python compiles the few modules a run imports on first use.
$(VENV_STAMP):
	@echo "Setting up $(VENV) from $(REQUIREMENTS) (python $(PY_VERSION))"
	@test -x $(VENV_PYTHON) || $(PYTHON) -m venv $(VENV)
	$(VENV_PYTHON) -m pip install --quiet --no-compile -r $(REQUIREMENTS)
	$(if $(REQUIREMENTS_NO_DEPS),$(VENV_PYTHON) -m pip install --quiet --no-compile --no-deps -r $(REQUIREMENTS_NO_DEPS))
	@rm -f $(VENV)/.installed-*
	@touch $@

$(COLLECTION_LINK):
	@mkdir -p $(dir $@)
	@ln -sfn ../../../.. $@

.PHONY: venv
venv: $(VENV_STAMP) $(COLLECTION_LINK) ## Create/update the virtualenv .venv/ from requirements-dev.txt
	@mkdir -p $(ANSIBLE_HOME) $(ANSIBLE_LOCAL_TEMP) $(ANSIBLE_REMOTE_TMP)

# --- the two commands of the README --------------------------------------------------------------------------------

.PHONY: sandbox-test
sandbox-test: venv ## The lead intake against the real Sandbox catalog (two Sandbox profiles; skipped without them)
	@status=0; $(VENV_PYTHON) hack/sandbox_leads.py check || status=$$?; \
	if [ $$status -eq 3 ]; then exit 0; elif [ $$status -ne 0 ]; then exit $$status; fi; \
	ansible-playbook tests/sandbox/playbook.yml

.PHONY: demo
DEMO_RUNS ?= 1
demo: venv ## Run demo/playbook.yml against two local emulators (one per account); DEMO_RUNS=2 runs it twice
	@# One emulator per partner account (each has its own data); partner-b's endpoint is passed in an env variable.
	partnercentral-emulator run --fixture demo/emulator-fixture-partner-b.json --engagements 0 -- \
		sh -c 'DEMO_PARTNER_B_ENDPOINT="$$AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING" exec \
		partnercentral-emulator run --fixture demo/emulator-fixture.json --engagements 0 -- \
		sh -c "for run in \$$(seq $(DEMO_RUNS)); do echo \"== demo run \$$run\"; \
		ansible-playbook -i demo/inventory demo/playbook.yml || exit 1; done"'

# Two lanes at once: the checks one after the other, and pytest (mostly waiting on ansible-playbook and the emulator's
# latencies, so the checks fill the idle CPU). hack/run_steps.py prints each step's time and ends with pytest's line.
TEST_SUMMARY_FILE := $(TMP_DIR)/pytest-summary.txt
.PHONY: test
test: venv ## Everything: sanity, lint, docs-lint, changelog-lint beside all pytest suites (last line: pytest's summary)
	@MAKE="$(MAKE)" $(VENV_PYTHON) hack/run_steps.py --title "make test" --logs $(TMP_DIR)/logs/test \
		--live pytest-all --summary-file $(TEST_SUMMARY_FILE) \
		--lane "pytest-all PYTEST_SUMMARY_FILE=$(TEST_SUMMARY_FILE)" --lane "sanity lint docs-lint changelog-lint"

# --- single steps ----------------------------------------------------------------------------------------------------

.PHONY: units
units: venv ## Unit tests (pytest tests/unit)
	$(RUN_PYTEST) tests/unit -- $(PYTEST_XDIST) $(PYTEST_ARGS)

.PHONY: emulator-tests
emulator-tests: venv ## Tests of the emulator (pytest emulator/tests)
	$(RUN_PYTEST) emulator/tests -- $(PYTEST_XDIST) $(PYTEST_ARGS)

.PHONY: integration
integration: venv ## Integration tests: ansible-playbook against the emulator (pytest tests/integration)
	$(RUN_PYTEST) tests/integration -- $(PYTEST_XDIST) $(PYTEST_ARGS)

.PHONY: reliability
reliability: venv ## Reduced reliability scenarios against the emulator (pytest tests/reliability)
	$(RUN_PYTEST) tests/reliability -- $(PYTEST_XDIST) $(PYTEST_ARGS)

.PHONY: reliability-full
reliability-full: venv ## The full reliability suite (5 kill trials per mode, 300 engagements; ~15 min); prints a table
	$(VENV_PYTHON) -m tests.reliability $(RELIABILITY_ARGS)

.PHONY: bench
bench: venv ## Benchmark at the quota a partner gets (N=300 at 1 and 10 writes/s, 20 accounts); figures, bounds, chart (~10 min)
	$(VENV_PYTHON) -m tests.benchmark.bench_batch $(BENCH_ARGS)

.PHONY: bench-quick
bench-quick: venv ## The same benchmark, smaller (N=60, 5 accounts x 10); about 2 minutes
	$(VENV_PYTHON) -m tests.benchmark.bench_batch --count 60 --accounts 5 --account-count 10 --naive-count 2 $(BENCH_ARGS)

# The same directories as testpaths in pyproject.toml; the reliability suite first: its one module-scoped run of all
# scenarios is the longest file, and xdist hands out files in this order.
PYTEST_DIRS := tests/reliability tests/integration emulator/tests tests/unit
.PHONY: pytest-all
pytest-all: venv ## All pytest suites (unit, emulator, integration, reliability) in one run, on PYTEST_WORKERS workers
	$(RUN_PYTEST) $(PYTEST_DIRS) -- $(PYTEST_XDIST) $(PYTEST_ARGS)

.PHONY: sanity
sanity: venv ## ansible-test sanity, all tests, offline, on a copy under .tmp/ansible-test/
	$(VENV_PYTHON) hack/offline/ansible_test_offline.py --work $(ANSIBLE_TEST_WORK) -- sanity --python $(PY_VERSION) $(SANITY_ARGS)

.PHONY: ansible-test-units
ansible-test-units: venv ## The unit tests under ansible-test (as Galaxy's CI would run them), offline
	$(VENV_PYTHON) hack/offline/ansible_test_offline.py --work $(ANSIBLE_TEST_WORK) -- units --python $(PY_VERSION) --requirements

.PHONY: lint
lint: venv ## ansible-lint (production profile), black, ruff, isort, yamllint
	@status=0; \
	echo "--- ansible-lint"; XDG_CACHE_HOME=$(TMP_DIR)/cache ansible-lint $$([ -t 1 ] || echo --nocolor) || status=1; \
	echo "--- black"; black --check --diff --quiet $(LINT_PATHS) || status=1; \
	echo "--- ruff"; ruff check --quiet --output-format concise $(LINT_PATHS) || status=1; \
	echo "--- isort"; isort --check-only --diff $(LINT_PATHS) || status=1; \
	echo "--- yamllint"; yamllint --strict -c .yamllint . || status=1; \
	if [ $$status -eq 0 ]; then echo "lint: all linters passed"; else echo "lint: FAILED"; fi; \
	exit $$status

.PHONY: format
format: venv ## Reformat the Python code (isort, black, ruff --fix)
	isort $(LINT_PATHS)
	black --quiet $(LINT_PATHS)
	ruff check --fix --quiet $(LINT_PATHS)

.PHONY: docs-lint
# antsibull-docs copies amazon.aws (found through `ansible-galaxy collection list`) with `git ls-files` when it sits in
# a git work tree, and .venv/ is ignored here: the ceiling makes git see no repository inside the virtualenv.
docs-lint: venv ## antsibull-docs lint-collection-docs --plugin-docs
	GIT_CEILING_DIRECTORIES=$(VENV_DIR) antsibull-docs lint-collection-docs --plugin-docs $(COLLECTION_LINK)

# The rendered plugin docs: antsibull-docs turns the plugins' own DOCUMENTATION into RST, Sphinx renders it offline
# (no intersphinx, so references to docs.ansible.com stay unresolved warnings; no -W). No conf.py: settings are -D.
# sphinx_antsibull_ext (the roles and directives of the ansible-docsite format) ships inside antsibull-docs.
DOCSITE_DIR := $(TMP_DIR)/docsite
SPHINX_SETTINGS := -C -D project=partnercentral.selling -D extensions=sphinx_antsibull_ext -D html_theme=alabaster \
	-D pygments_style=ansible -D highlight_language=YAML+Jinja -D default_role=any -D html_show_sphinx=0 \
	-D html_copy_source=0

.PHONY: docs
docs: venv ## Render the module and role docs (antsibull-docs + Sphinx, offline) into .tmp/docsite/build/html/
	@rm -rf $(DOCSITE_DIR) && mkdir -p $(DOCSITE_DIR) && mkdir -m 700 $(DOCSITE_DIR)/rst
	GIT_CEILING_DIRECTORIES=$(VENV_DIR) antsibull-docs collection --use-current --fail-on-error \
		--dest-dir $(DOCSITE_DIR)/rst partnercentral.selling
	cp docs/sphinx/index.rst $(DOCSITE_DIR)/rst/index.rst
	sphinx-build -M html $(DOCSITE_DIR)/rst $(DOCSITE_DIR)/build -q $(SPHINX_SETTINGS)
	@echo "docs: $(DOCSITE_DIR)/build/html/index.html"

.PHONY: changelog-lint
changelog-lint: venv ## antsibull-changelog lint (changelogs/fragments)
	antsibull-changelog lint

.PHONY: build
build: venv ## ansible-galaxy collection build into .tmp/build/
	@mkdir -p $(BUILD_DIR)
	ansible-galaxy collection build --force --output-path $(BUILD_DIR) .

# The compatibility matrix: one lane per ansible-core minor besides .venv's 2.19 (make test), each in a virtualenv
# .venv-compat-NN made from requirements-compat-NN.txt with the Python that minor needs, so that CI proves both ends
# of the range that meta/runtime.yml claims (requires_ansible >=2.17.0) and the releases in between:
#   17: ansible-core 2.17 (the oldest claimed), Python 3.11, amazon.aws 9 (see requirements-compat-17.txt)
#   18: ansible 11 / ansible-core 2.18, Python 3.11, amazon.aws 9
#   20: ansible 13 / ansible-core 2.20, Python 3.12, amazon.aws 10
#   21: ansible 14 / ansible-core 2.21 (the newest), Python 3.13, amazon.aws 11, ansible-rulebook
# boto3/botocore: the oldest supported (1.41.5/1.41.6) with the two oldest cores, the newest (1.44.8, .venv's too) with
# the two newest; the service model grows between them (42 operations in 1.43, 63 in 1.44.8).
# The first ansible 12 release (2.19.1 with the oldest boto3/botocore), a lane before, is gone: .venv proves 2.19 and
# the 17/18 lanes the oldest boto3/botocore, so its run repeated what the others prove.
#
# Each lane re-runs what depends on these versions: the unit tests, the modules and the role through ansible-playbook
# (templating and the action plugin's use of ansible-core change between minors). At the ends of the range also the
# single module's behaviours, the built collection under ansible-doc (amazon.aws's doc fragments), the info module's
# paging, and sanity (its rules change per minor; .venv runs it for 2.19); with the newest release, which new users
# install, every playbook test: the documentation's examples, the intake modules and role, and the EDA rulebook
# (ansible-rulebook runs the event source and ansible-playbook with that lane's ansible-core; it needs Java, which
# .ci/run installs). 2.18 and 2.20 share their code paths with their neighbours, so they run the core set only.
# Not re-run: the emulator's tests and the reliability suite (the emulator and the engine do not change with these
# versions), test_role_readme.py (text against YAML), test_engine_lead_attribution.py (the engine in-process, no
# Ansible), and the ansible-builder / ansible-runner tests (those tools are in requirements-dev.txt only).
# Budget: the lanes run beside make test in .ci/run on two cores, which must stay under 10 minutes, and the machine's
# CPU is what bounds it (mostly ansible-playbook's worker and module processes): each lane's pytest gets 2 workers
# (4 lanes x 4 workers beside make test's 4 put a shared machine at a load of 40, and playbooks timed out).
# CPU seconds measured per file (2.18 lane, 2 workers): units 13, batch_module_fork 11, role 16, build 10, module_info
# 16, module_opportunity_from_engagement 51 (its scenarios run many short playbooks), so the single module's file
# runs at the ends only.
COMPAT_TESTS := tests/unit $(addprefix tests/integration/test_,batch_module_fork.py role.py)
COMPAT_ENDS_TESTS := $(addprefix tests/integration/test_,module_opportunity_from_engagement.py module_info.py build.py)
COMPAT_17_TESTS := $(COMPAT_ENDS_TESTS)
COMPAT_21_TESTS := $(COMPAT_ENDS_TESTS) $(addprefix tests/integration/test_,docs_examples.py module_docs.py \
	module_engagement_info.py module_engagement_invitation.py role_intake.py eda_rulebook.py)
COMPAT_17_STEPS := compat-tests sanity
COMPAT_18_STEPS := compat-tests
COMPAT_20_STEPS := compat-tests
COMPAT_21_STEPS := compat-tests sanity
COMPAT_20_PYTHON := 3.12
COMPAT_21_PYTHON := 3.13
COMPAT_PYTEST_WORKERS := 2

.PHONY: compat-tests
compat-tests: venv ## The tests of the compatibility matrix in one venv (with VENV=/REQUIREMENTS=, as make compat does)
	$(RUN_PYTEST) $(COMPAT_TESTS) $(COMPAT_$(patsubst -compat-%,%,$(VARIANT))_TESTS) -- $(PYTEST_XDIST) $(PYTEST_ARGS)

# One line per lane (name, status, start, seconds, CPU seconds): .ci/run's table of times lists each lane from it.
COMPAT_TIMES_FILE := $(TMP_DIR)/logs/compat/lanes.tsv
.PHONY: compat
compat: ## The matrix: ansible-core 2.17, 2.18, 2.20, 2.21 venvs, set up and tested side by side; prints the times
	@MAKE="$(MAKE)" $(PYTHON) hack/run_steps.py --title "make compat" --logs $(TMP_DIR)/logs/compat \
		--times-file $(COMPAT_TIMES_FILE) \
		$(foreach version,$(COMPAT_VERSIONS),--lane "@compat-$(version) VENV=.venv-compat-$(version) \
		REQUIREMENTS=requirements-compat-$(version).txt PYTEST_WORKERS=$(COMPAT_PYTEST_WORKERS) \
		$(if $(COMPAT_$(version)_PYTHON),PYTHON_VERSION=$(COMPAT_$(version)_PYTHON)) venv $(COMPAT_$(version)_STEPS)")

.PHONY: clean
clean: ## Remove .tmp/ (test trees, Ansible home, build output)
	rm -rf .tmp tests/output

.PHONY: distclean
distclean: clean ## Also remove the virtualenvs
	rm -rf .venv .venv-compat-*
