# qzdesk developer commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= demo-data
STAMP := $(VENV)/.installed

VERSION := $(shell python3 -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")

.PHONY: run test lint bench bench-frozen screenshots dist dist-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Opens the GUI on ./demo-data, building the demo organisation first if it is not there.
run: $(STAMP)
	@test -f $(DATA)/qzdesk.sqlite || $(BIN)/qzdesk demo --data $(DATA)
	$(BIN)/qzdesk --data $(DATA)

# ajv (Node) compiles the archive's JSON Schema under --strict in the tests.
AJV := tools/ajv/node_modules/.bin/ajv
$(AJV): tools/ajv/package-lock.json
	npm ci --prefix tools/ajv --silent --no-audit --no-fund
	touch $(AJV)

test: $(STAMP) $(AJV)
	$(BIN)/ruff check qzdesk tests bench docs
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check qzdesk tests bench docs

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/startup.py
	xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb $(BIN)/python bench/startup.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/roster.py
	$(BIN)/python bench/archive.py
	$(BIN)/python bench/admission.py
	$(BIN)/python bench/meetings.py
	$(BIN)/python bench/demo.py
	$(BIN)/python bench/transfer.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/dues.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/committee.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/receiving.py
	# The same figures on a plain copy of the same data: what encryption costs.
	QZDESK_BENCH_PLAIN=1 QT_QPA_PLATFORM=offscreen $(BIN)/python bench/startup.py
	QZDESK_BENCH_PLAIN=1 QT_QPA_PLATFORM=offscreen $(BIN)/python bench/roster.py
	QZDESK_BENCH_PLAIN=1 $(BIN)/python bench/archive.py
	QZDESK_BENCH_PLAIN=1 $(BIN)/python bench/admission.py
	QZDESK_BENCH_PLAIN=1 $(BIN)/python bench/meetings.py
	$(BIN)/python bench/encryption.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_screenshots.py
	$(BIN)/python tests/ui/small_screen.py 1024 768 docs/screenshots/small/1024x768
	QT_SCALE_FACTOR=1.5 $(BIN)/python tests/ui/small_screen.py 1366 768 docs/screenshots/small/1366x768-150

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

# The frozen onedir bundle (PyInstaller cannot cross-build: Windows builds run on Windows),
# its .deb for UOS/Kylin and a .tar.gz; then the bundle's own self-test.
dist: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6.10,<7'
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller installer/qzdesk.spec
	bash installer/deb.sh

# The frozen bundle's start to the login window against the source install's (Xvfb).
bench-frozen: dist
	cd bench && xvfb-run -a -s "-screen 0 1366x768x24" ../$(BIN)/python frozen_startup.py

dist-check: dist
	bash installer/selftest.sh
	# The Windows installer's script, compiled against this onedir as a stand-in payload.
	cd installer/windows && makensis -V2 -DVERSION=$(VERSION) -DPAYLOAD=../../dist/qzdesk -DEXE=qzdesk \
		-DCHECK -DOUTFILE=../../build/qzdesk-setup-check.exe qzdesk.nsi
	rm -f build/qzdesk-setup-check.exe
