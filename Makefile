# longrun: the stack around a soak (seed 003's runbook as make targets).
# Variables can be overridden: make scenario-reset DB_URL=jdbc:postgresql://host/db PGUSER=me YES=1

DB_URL   ?= jdbc:postgresql://127.0.0.1:$(or $(LONGRUN_PG_PORT),5432)/agingos
PGUSER   ?= agingos
PGPASSWORD ?= agingos
TABLES   ?= events,deviations,deviations_v1
SCENARIO ?= scenarios/soak.yaml
# seed 000's samples post to the reference target's log ingest; the health check moves along with another URL
INGEST_URL ?= http://127.0.0.1:8000/ingest
# make scenario-run SCEN=scenarios/spike.yaml (or SCEN=spike)
SCEN_FILE = $(if $(filter %.yaml %.yml,$(SCEN)),$(SCEN),scenarios/$(SCEN).yaml)
# fault experiments (seed 001): the fault proxy's API under docker compose, and which proxy `make up` starts:
# toxiproxy (a real Toxiproxy 2.12.0) or longrun (longrun proxy, with the emulated packet loss Toxiproxy lacks)
TOXIPROXY_URL ?= http://127.0.0.1:$(or $(LONGRUN_TOXIPROXY_PORT),8474)
FAULT_PROXY ?= toxiproxy
EXPERIMENTS ?= scenarios/experiments
export PGUSER PGPASSWORD

.PHONY: help jar up down scenario-reset demo demo-experiment test validate run soak-1h soak-6h experiment experiments experiments-list \
	scenario-default scenario-quiet scenario-spike scenario-high-errors scenario-burst-then-ramp scenario-run

help:
	@echo "make up               start PostgreSQL and the reference target (docker compose) and wait until healthy"
	@echo "make down             stop them"
	@echo "make scenario-reset   empty $(TABLES) for a clean baseline (asks first; YES=1 to skip the question)"
	@echo "make demo             the embedded demo: nothing but JDK 17 and Maven needed"
	@echo "make demo-experiment  the embedded demo of a fault experiment (stabilize, DB latency, recover) and its verdict"
	@echo "make experiment NAME=packet-loss-10-pct   one of seed 001's experiments ($(EXPERIMENTS)) against the stack"
	@echo "make experiments      all 12 as a suite against the stack (ONLY='latency-*' picks some; LOOP=N repeats)"
	@echo "make experiments-list list them, with their phases and faults"
	@echo "                      the stack's fault proxy: make up FAULT_PROXY=toxiproxy (default) or FAULT_PROXY=longrun (packet loss)"
	@echo "make test             mvn verify"
	@echo "make validate         check \$$SCENARIO ($(SCENARIO)) and print its plan"
	@echo "make run              run \$$SCENARIO against the stack"
	@echo "make soak-1h|soak-6h  the runbook's soak, 1 or 6 hours"
	@echo "make scenario-default|scenario-quiet|scenario-spike|scenario-high-errors|scenario-burst-then-ramp"
	@echo "                      seed 000's sample scenarios against \$$INGEST_URL ($(INGEST_URL))"
	@echo "make scenario-run SCEN=scenarios/NAME.yaml   any scenario against \$$INGEST_URL (SCEN=NAME also works)"

jar:
	./longrun --version

up: jar
	$(if $(filter longrun,$(FAULT_PROXY)),docker compose --profile emulated-loss up -d --wait --scale toxiproxy=0,docker compose up -d --wait)

down:
	docker compose down

scenario-reset:
	./longrun reset --db-url $(DB_URL) --tables $(TABLES) $(if $(YES),--yes)

demo:
	./longrun demo

demo-experiment:
	./longrun demo --experiment

test:
	mvn verify

validate:
	./longrun validate $(SCENARIO)

run:
	./longrun run $(SCENARIO)

soak-1h:
	./longrun run scenarios/soak.yaml --duration 1h

soak-6h:
	./longrun run scenarios/soak.yaml --duration 6h

# seed 000's sample scenarios (scenarios/*.yaml) against the reference target's POST /ingest
scenario-default:
	./longrun run scenarios/default.yaml --target-url $(INGEST_URL)

scenario-quiet:
	./longrun run scenarios/quiet.yaml --target-url $(INGEST_URL)

scenario-spike:
	./longrun run scenarios/spike.yaml --target-url $(INGEST_URL)

scenario-high-errors:
	./longrun run scenarios/high_errors.yaml --target-url $(INGEST_URL)

scenario-burst-then-ramp:
	./longrun run scenarios/burst-then-ramp.yaml --target-url $(INGEST_URL)

scenario-run:
	$(if $(SCEN),,$(error make scenario-run needs SCEN=scenarios/NAME.yaml (or SCEN=NAME)))
	./longrun run $(SCEN_FILE) --target-url $(INGEST_URL)

# seed 001's fault experiments against the stack: the faults go to its fault proxy's API ($(TOXIPROXY_URL))
experiment:
	$(if $(NAME),,$(error make experiment needs NAME=..., one of: $(basename $(notdir $(wildcard $(EXPERIMENTS)/*.yaml)))))
	./longrun run $(EXPERIMENTS)/$(NAME).yaml --toxiproxy $(TOXIPROXY_URL)

experiments:
	./longrun suite $(EXPERIMENTS) --toxiproxy $(TOXIPROXY_URL)$(if $(ONLY), --only '$(ONLY)')$(if $(LOOP), --loop $(LOOP))

experiments-list:
	./longrun suite $(EXPERIMENTS) --list
