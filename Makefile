# The front door: `make demo` and `make test` work on a fresh machine.
.PHONY: setup test-setup build typecheck lint test demo bench chaos clean

NPM_STAMP := node_modules/.package-lock.json

setup: $(NPM_STAMP)
	@./deploy/ensure-redis.sh

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

build: setup
	npm run build

typecheck: setup
	npm run typecheck

# eslint (type-aware), prettier --check and the dependency rules; fails on any violation.
lint: setup
	npm run lint

# The dashboard's browser tests drive Debian's chromium (installed here when missing).
test-setup:
	@./deploy/ensure-chromium.sh

test: test-setup build typecheck lint
	npm test

demo: build
	node dist/bin/candela.js demo

bench: build
	npm run bench:queue
	npm run bench:analysis
	npm run bench:progress
	npm run bench:api-lag

chaos: build
	npm run chaos

clean:
	rm -rf dist .demo test-artifacts
