# Two generated clients from openapi/openapi.json, both driven against a live server by
# tests/sdk: Python (openapi-python-client, the Makefile's `sdk` recipe) and TypeScript
# (sdk/typescript: openapi-typescript types + openapi-fetch, compiled with tsc --strict).
# Generator and compiler output: build/sdk-logs/*.txt (must hold no warning).
SDK_TS := sdk/typescript

.PHONY: sdk-typescript test-sdk

$(SDK_TS)/node_modules/.installed: $(SDK_TS)/package.json $(SDK_TS)/package-lock.json
	command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	cd $(SDK_TS) && npm ci --no-audit --no-fund
	touch $@

# `make sdk` also generates and compiles the TypeScript client (into sdk/typescript/dist).
sdk: sdk-typescript

sdk-typescript: $(SDK_TS)/node_modules/.installed
	cd $(SDK_TS) && node_modules/.bin/openapi-typescript ../../openapi/openapi.json \
		--output src/schema.d.ts && node_modules/.bin/tsc --strict -p tsconfig.json

test-sdk: $(VENV)/.dev-installed $(SDK_TS)/node_modules/.installed
	$(BIN)/python -m pytest tests/sdk

TEST_SUITES += test-sdk
