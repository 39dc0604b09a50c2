# longrun: the stack around a soak (seed 003's runbook as make targets).
# Variables can be overridden: make scenario-reset DB_URL=jdbc:postgresql://host/db PGUSER=me YES=1

DB_URL   ?= jdbc:postgresql://127.0.0.1:$(or $(LONGRUN_PG_PORT),5432)/agingos
PGUSER   ?= agingos
PGPASSWORD ?= agingos
TABLES   ?= events,deviations,deviations_v1
SCENARIO ?= scenarios/soak.yaml
export PGUSER PGPASSWORD

.PHONY: help jar up down scenario-reset demo test validate run soak-1h soak-6h

help:
	@echo "make up               start PostgreSQL and the reference target (docker compose) and wait until healthy"
	@echo "make down             stop them"
	@echo "make scenario-reset   empty $(TABLES) for a clean baseline (asks first; YES=1 to skip the question)"
	@echo "make demo             the embedded demo: nothing but JDK 17 and Maven needed"
	@echo "make test             mvn verify"
	@echo "make validate         check \$$SCENARIO ($(SCENARIO)) and print its plan"
	@echo "make run              run \$$SCENARIO against the stack"
	@echo "make soak-1h|soak-6h  the runbook's soak, 1 or 6 hours"

jar:
	./longrun --version

up: jar
	docker compose up -d --wait

down:
	docker compose down

scenario-reset:
	./longrun reset --db-url $(DB_URL) --tables $(TABLES) $(if $(YES),--yes)

demo:
	./longrun demo

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
