# Two commands do all set-up on a fresh machine:
#   make run    install, migrate, seed the demo, start the web server and a Celery worker
#   make test   install and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-services bench bench-load bench-rush install clean-demo

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	./scripts/run.sh $(ARGS)

test: $(STAMP)
	./scripts/browser_setup.sh
	$(PY) -m pytest -m "not services"

# The whole suite again, including the `services` tests, against PostgreSQL,
# Redis and an S3 endpoint on loopback (started when down; see the script),
# but for the tests of SQLite itself (marked `sqlite`; `make test` runs them).
test-services: $(STAMP)
	./scripts/with_services.sh $(PY) -m pytest -m "not sqlite" --junitxml=var/test-services.xml

bench: $(STAMP)
	$(PY) bench/bench_renditions.py

# Upload load against gunicorn, a worker, PostgreSQL, Redis and S3 (not a test).
bench-load: $(STAMP)
	./scripts/with_services.sh $(PY) bench/load_upload.py

# The deadline rush: 200 resumable uploads at 20/s through two web nodes
# behind a round-robin proxy, two workers (bench/load_rush.py; not a test).
# moto accepts the bench's 64 KiB parts (S3 itself wants 5 MiB).
bench-rush: $(STAMP)
	S3_UPLOAD_PART_MIN_SIZE=65536 ./scripts/with_services.sh $(PY) bench/load_rush.py --out bench/results/rush.txt

clean-demo:
	rm -rf var media/originals media/renditions
